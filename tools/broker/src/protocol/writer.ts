/**
 * Builds one response body. Large byte blocks (record batches read from disk) are kept as
 * separate chunks and joined once at the end instead of being copied on every append.
 */
export class Writer {
  private readonly chunks: Buffer[] = [];
  private current = Buffer.allocUnsafe(256);
  private position = 0;
  private flushedLength = 0;

  get length(): number {
    return this.flushedLength + this.position;
  }

  int8(value: number): this {
    this.ensure(1);
    this.position = this.current.writeInt8(value, this.position);

    return this;
  }

  int16(value: number): this {
    this.ensure(2);
    this.position = this.current.writeInt16BE(value, this.position);

    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.position = this.current.writeInt32BE(value, this.position);

    return this;
  }

  int64(value: bigint | number): this {
    this.ensure(8);
    this.position = this.current.writeBigInt64BE(BigInt(value), this.position);

    return this;
  }

  boolean(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  string(value: string): this {
    return this.nullableString(value);
  }

  nullableString(value: string | null): this {
    if (value === null) {
      return this.int16(-1);
    }
    const encoded = Buffer.from(value, 'utf8');

    return this.int16(encoded.length).raw(encoded);
  }

  bytes(value: Buffer): this {
    return this.int32(value.length).raw(value);
  }

  nullableBytes(value: Buffer | null): this {
    return value === null ? this.int32(-1) : this.bytes(value);
  }

  array<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.int32(items.length);
    for (const item of items) {
      writeItem(this, item);
    }

    return this;
  }

  unsignedVarInt(value: number): this {
    let rest = value;
    while (rest >= 0x80) {
      this.int8Unsigned((rest & 0x7f) | 0x80);
      rest = Math.floor(rest / 128);
    }

    return this.int8Unsigned(rest);
  }

  compactString(value: string): this {
    const encoded = Buffer.from(value, 'utf8');

    return this.unsignedVarInt(encoded.length + 1).raw(encoded);
  }

  compactArray<T>(items: readonly T[], writeItem: (writer: this, item: T) => void): this {
    this.unsignedVarInt(items.length + 1);
    for (const item of items) {
      writeItem(this, item);
    }

    return this;
  }

  emptyTaggedFields(): this {
    return this.unsignedVarInt(0);
  }

  raw(data: Buffer): this {
    if (data.length > 1024) {
      this.flushCurrent();
      this.chunks.push(data);
      this.flushedLength += data.length;

      return this;
    }
    this.ensure(data.length);
    this.position += data.copy(this.current, this.position);

    return this;
  }

  toBuffer(): Buffer {
    this.flushCurrent();

    return this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
  }

  private int8Unsigned(value: number): this {
    this.ensure(1);
    this.position = this.current.writeUInt8(value, this.position);

    return this;
  }

  private ensure(length: number): void {
    if (this.position + length <= this.current.length) {
      return;
    }
    this.flushCurrent();
    this.current = Buffer.allocUnsafe(Math.max(4096, length));
  }

  private flushCurrent(): void {
    if (this.position === 0) {
      return;
    }
    this.chunks.push(this.current.subarray(0, this.position));
    this.flushedLength += this.position;
    this.current = this.current.subarray(this.position);
    this.position = 0;
  }
}
