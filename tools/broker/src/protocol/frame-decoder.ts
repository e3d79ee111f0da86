export class FrameTooLargeError extends Error {
  constructor(
    readonly size: number,
    readonly limit: number,
  ) {
    super(`frame of ${size} bytes exceeds the limit of ${limit}`);
  }
}

/**
 * Splits a TCP byte stream into Kafka frames (`int32 size` + payload). One chunk may carry
 * several frames or a fraction of one.
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private pendingLength = 0;

  constructor(private readonly maxFrameBytes: number) {}

  /** Returns the payloads of every frame completed by this chunk, in order. */
  push(chunk: Buffer): Buffer[] {
    this.pending.push(chunk);
    this.pendingLength += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.pendingLength < 4) {
        return frames;
      }
      const size = this.peekSize();
      if (size < 0 || size > this.maxFrameBytes) {
        throw new FrameTooLargeError(size, this.maxFrameBytes);
      }
      // Joining chunks only once the whole frame is here keeps large frames linear to assemble.
      if (this.pendingLength < 4 + size) {
        return frames;
      }
      const joined = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
      frames.push(joined.subarray(4, 4 + size));
      const rest = joined.subarray(4 + size);
      this.pending = rest.length > 0 ? [rest] : [];
      this.pendingLength = rest.length;
    }
  }

  private peekSize(): number {
    const first = this.pending[0];
    if (first.length >= 4) {
      return first.readInt32BE(0);
    }

    return Buffer.concat(this.pending).readInt32BE(0);
  }
}
