import autocannon from 'autocannon';

export interface HttpLoad {
  url: string;
  /** Connections, each with one request in flight (no pipelining): the concurrency. */
  connections: number;
  durationSeconds: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A body for each request (commands need unique ones); none when absent. */
  body?: () => string;
}

export interface HttpLoadResult {
  /** 2xx answers per second. */
  rate: number;
  answered2xx: number;
  /** Answers other than 2xx, and connection errors and timeouts. */
  failed: number;
  p50Ms: number;
  p99Ms: number;
}

// Past this share of failed requests the rate would describe errors, not the path measured.
const MAX_FAILED_SHARE = 0.01;

/**
 * Runs autocannon in this process against one route at a fixed concurrency and answers the rate
 * of 2xx answers. Throws when more than 1% of the requests failed.
 */
export async function runHttpLoad(load: HttpLoad): Promise<HttpLoadResult> {
  const { body } = load;
  const result = await autocannon({
    url: load.url,
    connections: load.connections,
    pipelining: 1,
    duration: load.durationSeconds,
    method: load.method ?? 'GET',
    headers: load.headers,
    requests: [
      {
        setupRequest: (request) => (body === undefined ? request : { ...request, body: body() }),
      },
    ],
  });
  const answered2xx = result['2xx'];
  const failed = result.non2xx + result.errors + result.timeouts;
  if (failed > MAX_FAILED_SHARE * (answered2xx + failed)) {
    throw new Error(
      `${load.method ?? 'GET'} ${load.url}: ${failed} of ${answered2xx + failed} requests failed ` +
        `(status codes: ${JSON.stringify(result.statusCodeStats ?? {})})`,
    );
  }

  return {
    rate: answered2xx / result.duration,
    answered2xx,
    failed,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
  };
}
