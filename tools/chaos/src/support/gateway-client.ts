/** What one call through the gateway got: an answer, or none (refused, reset, timed out). */
export interface GatewayAnswer {
  /** The HTTP status; null when no answer came. */
  status: number | null;
  body: unknown;
  /** Why no answer came (the fetch error's code or message). */
  error?: string;
  ms: number;
}

export interface CallOptions {
  /** `If-Match` with this version. */
  ifMatch?: number;
  /** Sent as `x-correlation-id`: the stored events carry it. */
  correlationId?: string;
  /** Give up waiting for the answer after this long; default 15 s. */
  timeoutMs?: number;
}

/** Relate's public API (`/api/v1`) through the gateway, with the stack's API key. */
export class GatewayClient {
  constructor(
    private readonly baseUrl: () => string,
    private readonly apiKey: string,
  ) {}

  get(path: string, options: CallOptions = {}): Promise<GatewayAnswer> {
    return this.call('GET', path, undefined, options);
  }

  post(path: string, body: unknown, options: CallOptions = {}): Promise<GatewayAnswer> {
    return this.call('POST', path, body, options);
  }

  patch(path: string, body: unknown, options: CallOptions = {}): Promise<GatewayAnswer> {
    return this.call('PATCH', path, body, options);
  }

  async call(
    method: string,
    path: string,
    body: unknown,
    options: CallOptions = {},
  ): Promise<GatewayAnswer> {
    const started = Date.now();
    const headers: Record<string, string> = {
      'x-api-key': this.apiKey,
      accept: 'application/json',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (options.ifMatch !== undefined) headers['if-match'] = `"${options.ifMatch}"`;
    if (options.correlationId !== undefined) headers['x-correlation-id'] = options.correlationId;
    try {
      const response = await fetch(`${this.baseUrl()}/api/v1${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
      const text = await response.text();

      return { status: response.status, body: parse(text), ms: Date.now() - started };
    } catch (error) {
      return { status: null, body: undefined, error: reason(error), ms: Date.now() - started };
    }
  }
}

function parse(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return text;
  }
}

function reason(error: unknown): string {
  const cause = (error as { cause?: { code?: string } }).cause?.code;
  if (cause !== undefined) return cause;
  if (error instanceof Error) return error.name === 'TimeoutError' ? 'timeout' : error.message;

  return String(error);
}
