import { RelateError } from '@relate/errors';

import { ExpectedVersion } from './event-store.types';

export const EventStoreErrorCodes = {
  wrongExpectedVersion: 'EVENT_STORE.WRONG_EXPECTED_VERSION',
  invalidEvent: 'EVENT_STORE.INVALID_EVENT',
  invalidSchema: 'EVENT_STORE.INVALID_SCHEMA',
  invalidPosition: 'EVENT_STORE.INVALID_POSITION',
} as const;

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
