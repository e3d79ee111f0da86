import { randomBytes } from 'node:crypto';

/** A topic (or group) name nobody used before, so that a round starts from nothing. */
export function uniqueName(prefix: string): string {
  return `${prefix}.${randomBytes(5).toString('hex')}`;
}
