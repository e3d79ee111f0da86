import { isRelateError } from '@relate/errors';

import { decodeConsistencyToken, encodeConsistencyToken } from './consistency-token';

describe('consistency tokens', () => {
  it.each([
    ['a uuid', '0190f5c4-3b7a-7c11-9a55-6f3b2f0a9e11', 7],
    ['dots and unicode', 'deal.ünïcode.42', 0],
  ])('round-trip a stream id with %s', (_label, streamId, version) => {
    expect(decodeConsistencyToken(encodeConsistencyToken(streamId, version))).toEqual({
      streamId,
      version,
    });
  });

  it('are opaque: the stream id does not appear in clear', () => {
    expect(encodeConsistencyToken('deal-1', 3)).not.toContain('deal-1');
  });

  it.each([
    ['garbage', 'not-a-token'],
    ['a negative version', `ct1.${Buffer.from('s').toString('base64url')}.-1`],
    ['a fractional version', `ct1.${Buffer.from('s').toString('base64url')}.1.5`],
    ['an unknown prefix', `ct9.${Buffer.from('s').toString('base64url')}.1`],
    ['an empty stream id', 'ct1..1'],
  ])('reject %s with a validation error', (_label, token) => {
    let caught: unknown;
    try {
      decodeConsistencyToken(token);
    } catch (error) {
      caught = error;
    }

    expect(isRelateError(caught) && caught.category).toBe('validation');
  });
});
