import { createHash } from 'node:crypto';

/**
 * A UUID-shaped id derived from its parts (SHA-256, version nibble 8 = "custom"): the same
 * rule and trigger event always give the same firing id, so a redelivered event fires nothing
 * new, and the same firing always asks for the same task.
 */
export function derivedId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\u0000')).digest('hex');

  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    `8${hex.slice(13, 16)}`,
    `${((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}`,
    hex.slice(20, 32),
  ].join('-');
}
