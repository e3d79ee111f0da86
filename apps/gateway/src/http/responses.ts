import { WriteResult } from '@relate/contracts';
import { validationError } from '@relate/errors';
import { HttpResponse } from '@relate/service-kit';

const VERSION = /^(?:W\/)?"?(\d{1,15})"?$/;

/** `If-Match: "3"` (quoted or not) as a stream version; absent means "no expectation". */
export function expectedVersionOf(ifMatch: string | undefined): number | undefined {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    return undefined;
  }
  const match = VERSION.exec(ifMatch.trim());
  if (!match) {
    throw validationError('GATEWAY.VALIDATION_FAILED', [
      { field: 'If-Match', reason: 'must be the version from an ETag, e.g. "3"' },
    ]);
  }

  return Number(match[1]);
}

/** Sends a resource's version as its ETag, for a later If-Match. */
export async function withETag<T extends WriteResult | { version: number }>(
  response: HttpResponse,
  result: Promise<T>,
): Promise<T> {
  const answer = await result;
  response.setHeader('ETag', `"${answer.version}"`);

  return answer;
}
