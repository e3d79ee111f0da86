/**
 * Cursor over one request body. Reads past the end throw a RangeError, which the connection
 * turns into "malformed request, close the socket" as Kafka does.
 */
export class Reader {
  private position = 0;

  constructor(private readonly buffer: Buffer) {}

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.buffer.length - this.position;
  }

  int8(): number {
    return this.buffer.readInt8(this.advance(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.advance(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.advance(4));
  }

  int64(): bigint {
    return this.buffer.readBigInt64BE(this.advance(8));
  }

  boolean(): boolean {
    return this.buffer.readInt8(this.advance(1)) !== 0;
  }

  string(): string {
    const value = this.nullableString();
    if (value === null) {
      throw new RangeError('null where a string is required');
    }

    return value;
  }

  nullableString(): string | null {
    const length = this.int16();

    return length < 0 ? null : this.take(length).toString('utf8');
  }

  bytes(): Buffer {
    return this.nullableBytes() ?? Buffer.alloc(0);
  }

  nullableBytes(): Buffer | null {
    const length = this.int32();

    return length < 0 ? null : this.take(length);
  }

  array<T>(readItem: (reader: Reader) => T): T[] {
    return this.nullableArray(readItem) ?? [];
  }

  nullableArray<T>(readItem: (reader: Reader) => T): T[] | null {
    const count = this.int32();
    if (count < 0) {
      return null;
    }
    this.assertCount(count);

    return Array.from({ length: count }, () => readItem(this));
  }

  /** Unsigned varint as used by flexible versions (compact lengths, tag counts). */
  unsignedVarInt(): number {
    let value = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      const byte = this.buffer.readUInt8(this.advance(1));
      value += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        return value;
      }
    }
    throw new RangeError('varint longer than 5 bytes');
  }

  compactNullableString(): string | null {
    const lengthPlusOne = this.unsignedVarInt();

    return lengthPlusOne === 0 ? null : this.take(lengthPlusOne - 1).toString('utf8');
  }

  compactString(): string {
    return this.compactNullableString() ?? '';
  }

  /** Tagged fields carry nothing this broker understands yet; skip them. */
  skipTaggedFields(): void {
    const count = this.unsignedVarInt();
    for (let i = 0; i < count; i++) {
      this.unsignedVarInt();
      this.take(this.unsignedVarInt());
    }
  }

  /** The rest of the buffer, as a view. */
  rest(): Buffer {
    return this.take(this.remaining);
  }

  private take(length: number): Buffer {
    const start = this.advance(length);

    return this.buffer.subarray(start, start + length);
  }

  private advance(length: number): number {
    const start = this.position;
    if (start + length > this.buffer.length) {
      throw new RangeError(`read of ${length} bytes past the end of the request`);
    }
    this.position += length;

    return start;
  }

  private assertCount(count: number): void {
    // Every element takes at least one byte, so a larger count can only be garbage.
    if (count > this.remaining) {
      throw new RangeError(`array count ${count} exceeds the remaining request bytes`);
    }
  }
}
