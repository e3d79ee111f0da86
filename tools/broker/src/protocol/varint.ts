/**
 * Zigzag varints of the record format (Kafka's `varint`/`varlong`). Not the unsigned varints of
 * flexible message versions, which have no zigzag step (see Reader.unsignedVarInt).
 */
export interface Cursor {
  buffer: Buffer;
  offset: number;
}

export function readVarInt(cursor: Cursor): number {
  let raw = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    const byte = cursor.buffer[cursor.offset++];
    if (byte === undefined) {
      throw new RangeError('varint runs past the end of the record');
    }
    raw |= (byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) {
      return (raw >>> 1) ^ -(raw & 1);
    }
  }
  throw new RangeError('varint longer than 5 bytes');
}

export function readVarLong(cursor: Cursor): bigint {
  let raw = 0n;
  for (let shift = 0n; shift < 70n; shift += 7n) {
    const byte = cursor.buffer[cursor.offset++];
    if (byte === undefined) {
      throw new RangeError('varlong runs past the end of the record');
    }
    raw |= BigInt(byte & 0x7f) << shift;
    if ((byte & 0x80) === 0) {
      return BigInt.asIntN(64, (raw >> 1n) ^ -(raw & 1n));
    }
  }
  throw new RangeError('varlong longer than 10 bytes');
}

export function encodeVarInt(value: number): Buffer {
  return encodeUnsigned(BigInt(((value << 1) ^ (value >> 31)) >>> 0));
}

export function encodeVarLong(value: bigint): Buffer {
  return encodeUnsigned(BigInt.asUintN(64, (value << 1n) ^ (value >> 63n)));
}

function encodeUnsigned(value: bigint): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));

  return Buffer.from(bytes);
}
