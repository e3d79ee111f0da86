import { RelateError } from '@relate/errors';

import { ExpectedVersion } from './event-store.types';

export const EventStoreErrorCodes = {
  wrongExpectedVersion: 'EVENT_STORE.WRONG_EXPECTED_VERSION',
  invalidEvent: 'EVENT_STORE.INVALID_EVENT',
  invalidSchema: 'EVENT_STORE.INVALID_SCHEMA',
  invalidPosition: 'EVENT_STORE.INVALID_POSITION',
  unavailable: 'EVENT_STORE.UNAVAILABLE',
  outcomeUnknown: 'EVENT_STORE.OUTCOME_UNKNOWN',
} as const;

/** Codes of a connection that was never made: the statement did not reach the server. */
const NOT_CONNECTED = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  // the database system is starting up or shutting down; too many connections
  '57P03',
  '53300',
]);

/** Codes of a connection that broke: the server may have run the statement, or not. */
const CONNECTION_LOST = new Set([
  'ECONNRESET',
  'EPIPE',
  // admin_shutdown, crash_shutdown, and the connection exception class
  '57P01',
  '57P02',
  '08000',
  '08003',
  '08006',
]);

/**
 * PostgreSQL unreachable or gone, as the error a store operation got says; undefined for any
 * other error. pg reports a broken connection without a code, by message.
 */
export function connectionFailure(error: unknown): 'not_connected' | 'lost' | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NOT_CONNECTED.has(code)) {
    return 'not_connected';
  }
  if (typeof code === 'string' && CONNECTION_LOST.has(code)) {
    return 'lost';
  }
  const message = error instanceof Error ? error.message : '';
  if (/timeout exceeded when trying to connect/i.test(message)) {
    return 'not_connected';
  }
  if (/^Connection terminated|connection error|Connection closed/i.test(message)) {
    return 'lost';
  }

  return undefined;
}

/**
 * What a store operation that failed on the database's side answers: a retriable error (HTTP
 * 503) with a code that tells a client what it may assume. Before anything could be written,
 * or when the failed operation only read, nothing was stored (`EVENT_STORE.UNAVAILABLE`). When
 * the connection broke during an append, the server may have committed it before it went away:
 * `EVENT_STORE.OUTCOME_UNKNOWN`, read the stream before retrying. Other errors pass unchanged.
 */
export function storeFailure(error: unknown, writing: boolean): unknown {
  const failure = connectionFailure(error);
  if (failure === undefined) {
    return error;
  }
  if (writing && failure === 'lost') {
    return new RelateError(
      EventStoreErrorCodes.outcomeUnknown,
      'internal',
      'The database went away during the append: it may or may not have been stored',
      { retriable: true, cause: error },
    );
  }

  return new RelateError(
    EventStoreErrorCodes.unavailable,
    'internal',
    'The database is unavailable: nothing was stored',
    { retriable: true, cause: error },
  );
}

/**
 * The stream is not at the version the caller decided against. `actual` is null when the
 * stream exists but belongs to another tenant, whose version the caller must not learn.
 */
export function wrongExpectedVersion(
  streamId: string,
  expected: ExpectedVersion,
  actual: number | null,
  cause?: unknown,
): RelateError {
  const message =
    actual === null
      ? `Stream ${streamId} belongs to another tenant`
      : `Stream ${streamId} is at version ${actual}, expected ${expected}`;

  return new RelateError(EventStoreErrorCodes.wrongExpectedVersion, 'conflict', message, {
    details: { streamId, expected, actual },
    cause,
  });
}

export function invalidEvent(field: string, reason: string): RelateError {
  return new RelateError(EventStoreErrorCodes.invalidEvent, 'validation', `${field} ${reason}`, {
    violations: [{ field, reason }],
  });
}
