/**
 * In-memory index of the batches in one segment file, rebuilt by scanning the file at startup.
 * Columnar typed arrays keep millions of small batches cheap; offsets and timestamps fit a
 * double exactly below 2^53.
 */
export class OffsetIndex {
  private baseOffsets: Float64Array = new Float64Array(64);
  private positions: Float64Array = new Float64Array(64);
  private sizes: Float64Array = new Float64Array(64);
  private maxTimestamps: Float64Array = new Float64Array(64);
  private length = 0;

  get count(): number {
    return this.length;
  }

  push(baseOffset: number, position: number, size: number, maxTimestamp: number): void {
    if (this.length === this.baseOffsets.length) {
      this.grow();
    }
    this.baseOffsets[this.length] = baseOffset;
    this.positions[this.length] = position;
    this.sizes[this.length] = size;
    this.maxTimestamps[this.length] = maxTimestamp;
    this.length++;
  }

  baseOffset(entry: number): number {
    return this.baseOffsets[entry];
  }

  position(entry: number): number {
    return this.positions[entry];
  }

  size(entry: number): number {
    return this.sizes[entry];
  }

  maxTimestamp(entry: number): number {
    return this.maxTimestamps[entry];
  }

  /** The entry whose batch holds `offset`: the last one starting at or before it, or -1. */
  find(offset: number): number {
    let low = 0;
    let high = this.length - 1;
    let found = -1;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      if (this.baseOffsets[middle] <= offset) {
        found = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }

    return found;
  }

  private grow(): void {
    const capacity = this.length * 2;
    const resize = (old: Float64Array): Float64Array => {
      const next = new Float64Array(capacity);
      next.set(old);

      return next;
    };
    this.baseOffsets = resize(this.baseOffsets);
    this.positions = resize(this.positions);
    this.sizes = resize(this.sizes);
    this.maxTimestamps = resize(this.maxTimestamps);
  }
}
