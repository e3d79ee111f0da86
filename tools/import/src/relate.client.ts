import { WriteResult } from '@relate/contracts';
import { ErrorCategory, RelateError } from '@relate/errors';

export interface RelateClientOptions {
  /** Gateway root, e.g. http://127.0.0.1:3000 (the client adds /api/v1). */
  baseUrl: string;
  apiKey: string;
  /** Tries per request when the gateway is unreachable or answers 429/5xx. */
  attempts?: number;
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  fetch?: typeof fetch;
}

export type CreateOutcome = 'created' | 'exists';

export interface CreateResult {
  outcome: CreateOutcome;
  /** Present when created: lets a read wait until the read model has seen the write. */
  consistencyToken?: string;
}

/** The gateway could not be reached at all: the import stops instead of failing every row. */
export const UNREACHABLE = 'IMPORT.GATEWAY_UNREACHABLE';

/** The spec's code; a service prefix (`PIPELINE.ALREADY_EXISTS`) means the same. */
const ALREADY_EXISTS = /(^|\.)ALREADY_EXISTS$/;
const RETRIABLE_STATUS = new Set([429, 500, 502, 503, 504]);

function categoryOf(status: number): ErrorCategory {
  if (status === 400) return 'validation';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422) return 'illegal_state';

  return 'internal';
}

interface ErrorBody {
  error?: string;
  message?: string | string[];
  violations?: Array<{ field: string; reason: string }>;
}

/** A thin client of the public REST API (`/api/v1`), with bounded retries. */
export class RelateClient {
  private readonly attempts: number;
  private readonly timeoutMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: RelateClientOptions) {
    this.attempts = options.attempts ?? 6;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.fetch = options.fetch ?? fetch;
  }

  /** Creates a record with a client-chosen id; one that already exists is not an error. */
  async create(path: string, body: object): Promise<CreateOutcome> {
    return (await this.createWithToken(path, body)).outcome;
  }

  async createWithToken(path: string, body: object): Promise<CreateResult> {
    try {
      const written = await this.request<Partial<WriteResult> | undefined>('POST', path, body);

      return { outcome: 'created', consistencyToken: written?.consistencyToken };
    } catch (error) {
      if (error instanceof RelateError && ALREADY_EXISTS.test(error.code)) {
        return { outcome: 'exists' };
      }
      throw error;
    }
  }

  post<T = unknown>(path: string, body: object): Promise<T> {
    return this.request<T>('POST', path, body);
  }

  /** Reads a resource; an unknown id answers undefined. */
  async get<T>(path: string): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', path);
    } catch (error) {
      if (error instanceof RelateError && error.category === 'not_found') return undefined;
      throw error;
    }
  }

  private async request<T>(method: string, path: string, body?: object): Promise<T> {
    const url = `${this.options.baseUrl.replace(/\/+$/, '')}/api/v1${path}`;
    for (let attempt = 1; ; attempt += 1) {
      let response: Response;
      try {
        response = await this.fetch(url, {
          method,
          headers: { 'content-type': 'application/json', 'x-api-key': this.options.apiKey },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (cause) {
        if (attempt < this.attempts) {
          await this.sleep(backoffMs(attempt));
          continue;
        }
        const message = `${method} ${url} failed: ${describe(cause)}`;
        throw new RelateError(UNREACHABLE, 'internal', message, { cause, retriable: true });
      }
      const text = await response.text();
      if (response.ok) {
        return (text ? JSON.parse(text) : undefined) as T;
      }
      if (RETRIABLE_STATUS.has(response.status) && attempt < this.attempts) {
        await this.sleep(backoffMs(attempt));
        continue;
      }
      throw httpError(method, path, response.status, text);
    }
  }
}

function backoffMs(attempt: number): number {
  return Math.min(200 * 2 ** (attempt - 1), 5_000);
}

function describe(cause: unknown): string {
  if (cause instanceof Error) {
    const inner = cause.cause instanceof Error ? `: ${cause.cause.message}` : '';

    return `${cause.message}${inner}`;
  }

  return String(cause);
}

function httpError(method: string, path: string, status: number, text: string): RelateError {
  let body: ErrorBody = {};
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    body = { message: text.slice(0, 200) };
  }
  const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
  const violations = body.violations ?? [];
  const detail = violations.map((v) => `${v.field}: ${v.reason}`).join('; ') || message || '';
  const code = body.error ?? `HTTP_${status}`;

  return new RelateError(code, categoryOf(status), `${status} ${code} ${detail}`.trim(), {
    violations,
    retriable: RETRIABLE_STATUS.has(status),
    details: { status, method, path },
  });
}
