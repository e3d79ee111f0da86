import { RelateError } from '@relate/errors';

const PREFIX = 'ct1';

/**
 * A consistency token names a write (stream id and the version it reached) so that a client can
 * ask a read model to wait for it. Opaque to clients; the prefix leaves room for a new format.
 */
export function encodeConsistencyToken(streamId: string, version: number): string {
  return `${PREFIX}.${Buffer.from(streamId, 'utf8').toString('base64url')}.${version}`;
}

export function decodeConsistencyToken(token: string): { streamId: string; version: number } {
  const [prefix, encodedStreamId, versionText, ...rest] = token.split('.');
  const version = Number(versionText);
  const streamId = encodedStreamId ? Buffer.from(encodedStreamId, 'base64url').toString() : '';
  const wellFormed =
    prefix === PREFIX &&
    rest.length === 0 &&
    streamId.length > 0 &&
    /^[0-9]+$/.test(versionText ?? '') &&
    Number.isSafeInteger(version) &&
    Buffer.from(streamId, 'utf8').toString('base64url') === encodedStreamId;
  if (!wellFormed) {
    throw new RelateError(
      'EVENT_STORE.INVALID_CONSISTENCY_TOKEN',
      'validation',
      'The consistency token is not one this API issued',
      { violations: [{ field: 'consistency', reason: 'is not a valid consistency token' }] },
    );
  }

  return { streamId, version };
}
