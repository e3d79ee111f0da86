/** One scrape of a service's `/ops/metrics`: its process figures. */
export interface ProcessScrape {
  /** The event-loop delay histogram: cumulative counts by upper bound in seconds. */
  delayBuckets: Array<{ le: number; count: number }>;
  delayCount: number;
  delaySumSeconds: number;
  heapUsedBytes: number;
}

/** The event-loop delay between two scrapes of the same process. */
export interface DelayBetween {
  samples: number;
  meanMs: number;
  /** The 99th percentile, interpolated within its bucket (as `histogram_quantile` does). */
  p99Ms: number;
  /** The upper bound of the highest bucket that got a sample: the largest delay is at most it. */
  maxAtMostMs: number;
}

const DELAY = 'relate_event_loop_delay_seconds';

/** Scrapes `<serviceUrl>/ops/metrics` for the process figures `ProcessMetrics` publishes. */
export async function scrapeProcess(serviceUrl: string): Promise<ProcessScrape> {
  const response = await fetch(`${serviceUrl}/ops/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (!response.ok) throw new Error(`${serviceUrl}/ops/metrics answered ${response.status}`);

  return parseProcessScrape(await response.text());
}

export function parseProcessScrape(text: string): ProcessScrape {
  const scrape: ProcessScrape = {
    delayBuckets: [],
    delayCount: NaN,
    delaySumSeconds: NaN,
    heapUsedBytes: NaN,
  };
  for (const line of text.split('\n')) {
    const bucket = new RegExp(`^${DELAY}_bucket\\{le="([^"]+)"\\} (\\S+)$`).exec(line);
    if (bucket) {
      const le = bucket[1] === '+Inf' ? Infinity : Number(bucket[1]);
      scrape.delayBuckets.push({ le, count: Number(bucket[2]) });
    }
    const [name, value] = line.split(' ');
    if (name === `${DELAY}_count`) scrape.delayCount = Number(value);
    if (name === `${DELAY}_sum`) scrape.delaySumSeconds = Number(value);
    if (name === 'relate_process_heap_used_bytes') scrape.heapUsedBytes = Number(value);
  }
  if (scrape.delayBuckets.length === 0) throw new Error(`no ${DELAY} histogram in the metrics`);

  return scrape;
}

/** The delay distribution of the samples taken between `before` and `after`. */
export function delayBetween(before: ProcessScrape, after: ProcessScrape): DelayBetween {
  const samples = after.delayCount - before.delayCount;
  const counts = after.delayBuckets.map(({ le, count }, index) => ({
    le,
    count: count - (before.delayBuckets[index]?.count ?? 0),
  }));

  return {
    samples,
    meanMs: samples > 0 ? ((after.delaySumSeconds - before.delaySumSeconds) / samples) * 1000 : NaN,
    p99Ms: quantileMs(counts, samples, 0.99),
    maxAtMostMs: (counts.find(({ count }) => count === samples)?.le ?? NaN) * 1000,
  };
}

/**
 * Linear interpolation inside the bucket that holds the quantile (cumulative counts); past the
 * last finite bound, that bound (the quantile is at least it).
 */
function quantileMs(counts: Array<{ le: number; count: number }>, total: number, q: number) {
  if (total <= 0) return NaN;
  const rank = q * total;
  let lower = 0;
  let below = 0;
  for (const { le, count } of counts) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return lower * 1000;
      const inBucket = count - below;

      return (lower + (le - lower) * (inBucket === 0 ? 1 : (rank - below) / inBucket)) * 1000;
    }
    lower = le;
    below = count;
  }

  return NaN;
}
