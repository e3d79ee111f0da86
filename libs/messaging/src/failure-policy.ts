import { isRelateError } from '@relate/errors';

// SQLSTATE classes and codes after which the same work may well succeed: lost or refused
// connections, serialization failures, deadlocks, lock timeouts, exhausted resources, shutdowns.
const RETRIABLE_SQLSTATE = /^(08|53|57P0[1-3]|40001|40P01|55P03)/;
const RETRIABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTCONN',
]);
const RETRIABLE_PG_CLIENT_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
];

/**
 * Whether an error is worth retrying as it is: RelateErrors say so themselves; PostgreSQL and
 * network errors by code; kafkajs errors by their `retriable` flag. Everything else is treated
 * as permanent (a bug or a poison event).
 */
export function isRetriableError(error: unknown): boolean {
  if (isRelateError(error)) {
    return error.retriable;
  }
  if (!(error instanceof Error)) {
    return false;
  }
  const { code, retriable } = error as Error & { code?: unknown; retriable?: unknown };
  if (
    typeof code === 'string' &&
    (RETRIABLE_SQLSTATE.test(code) || RETRIABLE_NODE_CODES.has(code))
  ) {
    return true;
  }
  if (error.name.startsWith('KafkaJS')) {
    return retriable === true;
  }

  return RETRIABLE_PG_CLIENT_MESSAGES.some((text) => error.message.includes(text));
}

/** Whether a pg connection that saw this error should be thrown away rather than reused. */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;

  return (
    (typeof code === 'string' &&
      (/^(08|57P0[1-3])/.test(code) || RETRIABLE_NODE_CODES.has(code))) ||
    (error instanceof Error &&
      RETRIABLE_PG_CLIENT_MESSAGES.some((text) => error.message.includes(text)))
  );
}

/** Exponential backoff with ±20 % jitter, so that restarted consumers do not retry in step. */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const exponential = Math.min(baseMs * 2 ** Math.max(0, attempt - 1), maxMs);

  return Math.round(exponential * (0.8 + Math.random() * 0.4));
}

export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

export function errorCode(error: unknown): string {
  if (isRelateError(error)) {
    return error.code;
  }
  const code = (error as { code?: unknown } | null)?.code;

  return typeof code === 'string' ? code : error instanceof Error ? error.name : 'UNKNOWN';
}
