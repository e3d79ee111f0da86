import { Logger } from '@nestjs/common';

import { ErrorBody, ServiceHeaders } from '@relate/contracts';
import { ErrorCategory, RelateError } from '@relate/errors';

import { Caller } from './caller';

export interface ServiceCall {
  body?: unknown;
  query?: object;
  /** The stream version from If-Match. */
  expectedVersion?: number;
  consistencyToken?: string;
}

const CATEGORIES: readonly ErrorCategory[] = [
  'validation',
  'not_found',
  'conflict',
  'illegal_state',
  'internal',
];

function categoryOf(status: number, body: Partial<ErrorBody>): ErrorCategory {
  if (body.category && CATEGORIES.includes(body.category)) {
    return body.category;
  }

  return status === 404 ? 'not_found' : 'internal';
}

function queryString(query: object | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null) {
      params.set(name, String(value));
    }
  }
  const text = params.toString();

  return text === '' ? '' : `?${text}`;
}

/**
 * Calls one internal service over HTTP (Node's fetch) on behalf of a caller, with the caller's
 * tenant, identity, correlation id and trace. A service's error answer becomes the RelateError
 * it was, so that the gateway maps every error in one place.
 */
export class ServiceClient {
  private readonly logger: Logger;

  constructor(
    readonly service: string,
    private readonly baseUrl: string,
    private readonly timeoutMs = 30_000,
  ) {
    this.logger = new Logger(`${ServiceClient.name}.${service}`);
  }

  async send<T>(caller: Caller, method: string, path: string, call: ServiceCall = {}): Promise<T> {
    const url = `${this.baseUrl.replace(/\/+$/, '')}${path}${queryString(call.query)}`;
    const headers: Record<string, string> = {
      [ServiceHeaders.tenantId]: caller.tenantId,
      [ServiceHeaders.actorId]: caller.actorId,
      [ServiceHeaders.actorType]: 'user',
      [ServiceHeaders.correlationId]: caller.correlationId,
      [ServiceHeaders.traceparent]: caller.traceparent,
      accept: 'application/json',
    };
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
    }
    if (call.expectedVersion !== undefined) {
      headers[ServiceHeaders.ifMatch] = `"${call.expectedVersion}"`;
    }
    if (call.consistencyToken !== undefined) {
      headers[ServiceHeaders.consistencyToken] = call.consistencyToken;
    }
    const writing = method !== 'GET' && method !== 'HEAD';
    const { response, text } = await this.exchange(url, writing, {
      method,
      headers,
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    if (!response.ok) {
      throw this.errorOf(response.status, text);
    }

    return (text === '' ? undefined : JSON.parse(text)) as T;
  }

  /** Health of the service: true when it answers its health check in time. */
  async healthy(timeoutMs: number): Promise<boolean> {
    try {
      const response = await fetch(`${this.baseUrl.replace(/\/+$/, '')}/health`, {
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer();

      return response.ok;
    } catch {
      return false;
    }
  }

  /**
   * One request and its whole answer. A write whose connection broke after it was sent may
   * have been applied: the client learns that (`GATEWAY.OUTCOME_UNKNOWN`) instead of a plain
   * "unavailable" that would invite a blind retry.
   */
  private async exchange(
    url: string,
    writing: boolean,
    init: RequestInit,
  ): Promise<{ response: Response; text: string }> {
    try {
      // TODO(#5): Node's fetch (undici: Request, Headers, AbortSignal) is about a quarter of
      // the gateway's CPU per forwarded command in a profile under load (bench 5); node:http
      // with a keep-alive agent would cost less, if it keeps the outcome-unknown distinction.
      const response = await fetch(url, init);

      return { response, text: await response.text() };
    } catch (error) {
      const reached = !neverConnected(error);
      this.logger.warn('service call failed', {
        service: this.service,
        reached,
        error: error instanceof Error ? error.message : String(error),
      });
      if (writing && reached) {
        throw new RelateError(
          'GATEWAY.OUTCOME_UNKNOWN',
          'internal',
          `The ${this.service} service did not answer: the change may or may not have been ` +
            'made; read it before retrying',
          { retriable: true, cause: error },
        );
      }
      throw new RelateError(
        'GATEWAY.SERVICE_UNAVAILABLE',
        'internal',
        `The ${this.service} service is unavailable`,
        { retriable: true, cause: error },
      );
    }
  }

  private errorOf(status: number, text: string): RelateError {
    let body: Partial<ErrorBody> = {};
    try {
      body = JSON.parse(text) as Partial<ErrorBody>;
    } catch {
      body = {};
    }
    const code = body.code ?? `${this.service.toUpperCase()}.HTTP_${status}`;

    return new RelateError(code, categoryOf(status, body), body.message ?? `HTTP ${status}`, {
      violations: body.violations,
      details: body.details,
      retriable: status === 503,
    });
  }
}

/** The contacts service, as the gateway reaches it. */
export class ContactsClient extends ServiceClient {}

/** The pipeline service, as the gateway reaches it. */
export class PipelineClient extends ServiceClient {}

/** The activities service, as the gateway reaches it. */
export class ActivitiesClient extends ServiceClient {}

/** The automation service, as the gateway reaches it. */
export class AutomationClient extends ServiceClient {}

/** The reporting service, as the gateway reaches it. */
export class ReportingClient extends ServiceClient {}

/** Codes of a connection that was never made: the request cannot have reached the service. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);

function neverConnected(error: unknown): boolean {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;

  return typeof cause?.code === 'string' && NOT_CONNECTED.has(cause.code);
}
