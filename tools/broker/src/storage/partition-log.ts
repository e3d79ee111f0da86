import { FileHandle, mkdir, open, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

import { BrokerLogger } from '../broker.config';
import {
  assignBaseOffset,
  BatchHeader,
  compressionOf,
  decodeRecords,
  readBatchHeader,
} from '../protocol/record-batch';
import { GroupCommitQueue } from './group-commit-queue';
import { OffsetIndex } from './offset-index';
import { ProducerStateTable } from './producer-state';
import { scanAndRepairSegment } from './segment-scanner';
import { syncDirectory } from './sync-directory';

export interface PartitionLogOptions {
  dir: string;
  topic: string;
  partition: number;
  segmentBytes: number;
  fsync: boolean;
  logger: BrokerLogger;
  /** Called after appended batches became readable. */
  onAppended: () => void;
}

interface Segment {
  baseOffset: number;
  path: string;
  handle: FileHandle;
  size: number;
  index: OffsetIndex;
}

interface PendingBatch {
  batch: Buffer;
  baseOffset: number;
  maxTimestamp: number;
}

export class LogFailedError extends Error {}

const SEGMENT_SUFFIX = '.log';
const GZIP_CODEC = 1;

/**
 * The log of one partition: segment files named after their first offset, each a plain
 * concatenation of record batches as the producer sent them, with the broker's offsets stamped
 * in. Appends are written (and, by policy, fdatasync'ed) before they become readable or are
 * acknowledged; the index lives in memory and is rebuilt by scanning at startup.
 */
export class PartitionLog {
  readonly producers = new ProducerStateTable();
  private readonly segments: Segment[] = [];
  private readonly writes: GroupCommitQueue<PendingBatch>;
  /** Next offset to hand out; runs ahead of the high watermark while writes are in flight. */
  private nextOffset = 0;
  private readable = 0;
  private failure: Error | null = null;
  private closed = false;

  private constructor(private readonly options: PartitionLogOptions) {
    this.writes = new GroupCommitQueue((batches) => this.writeBatches(batches));
  }

  static async open(options: PartitionLogOptions): Promise<PartitionLog> {
    const log = new PartitionLog(options);
    await mkdir(options.dir, { recursive: true });
    await log.loadSegments();

    return log;
  }

  get topic(): string {
    return this.options.topic;
  }

  get partition(): number {
    return this.options.partition;
  }

  /** Offset after the last readable record (single replica: HWM = LSO = LEO). */
  get highWatermark(): number {
    return this.readable;
  }

  get logStartOffset(): number {
    return this.segments[0]?.baseOffset ?? 0;
  }

  /**
   * Stamps offsets on the batches and queues them for writing. Offsets are assigned now, in
   * call order; the promise resolves once the batches are on disk and readable.
   */
  append(batches: Array<{ batch: Buffer; header: BatchHeader }>): {
    baseOffset: number;
    written: Promise<void>;
  } {
    if (this.failure || this.closed) {
      throw new LogFailedError(`log of ${this.topic}/${this.partition} is not writable`);
    }
    const baseOffset = this.nextOffset;
    const written = batches.map(({ batch, header }) => {
      // In place: the batch is a view of its request frame, which nothing else reads.
      assignBaseOffset(batch, this.nextOffset);
      this.producers.record(header, this.nextOffset);
      const pending = {
        batch,
        baseOffset: this.nextOffset,
        maxTimestamp: Number(header.maxTimestamp),
      };
      this.nextOffset += header.lastOffsetDelta + 1;

      return this.writes.push(pending);
    });

    return { baseOffset, written: Promise.all(written).then(() => undefined) };
  }

  /**
   * Whole batches starting with the one that holds `offset`, up to `maxBytes` in total; the
   * first batch is returned even when larger if `atLeastOne` (KIP-74), so consumers progress.
   */
  async read(offset: number, maxBytes: number, atLeastOne: boolean): Promise<Buffer> {
    if (offset >= this.readable) {
      return Buffer.alloc(0);
    }
    const segment = this.segmentFor(offset);
    const first = segment.index.find(offset);
    let last = first;
    let total = segment.index.size(first);
    if (total > maxBytes && !atLeastOne) {
      return Buffer.alloc(0);
    }
    while (last + 1 < segment.index.count && total + segment.index.size(last + 1) <= maxBytes) {
      last++;
      total += segment.index.size(last);
    }

    return this.readRange(segment, segment.index.position(first), total);
  }

  /** First offset whose record timestamp is >= `timestamp`, or null when there is none. */
  async offsetForTimestamp(
    timestamp: number,
  ): Promise<{ offset: number; timestamp: number } | null> {
    for (const segment of this.segments) {
      for (let entry = 0; entry < segment.index.count; entry++) {
        if (segment.index.maxTimestamp(entry) < timestamp) {
          continue;
        }
        const position = segment.index.position(entry);
        const batch = await this.readRange(segment, position, segment.index.size(entry));

        return firstRecordAtOrAfter(batch, timestamp);
      }
    }

    return null;
  }

  /** Waits for queued writes, then closes the files. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writes.idle();
    await Promise.all(this.segments.map((segment) => segment.handle.close()));
  }

  /** Closes the files and removes the partition's folder. */
  async destroy(): Promise<void> {
    await this.close();
    await rm(this.options.dir, { recursive: true, force: true });
  }

  private async loadSegments(): Promise<void> {
    const names = (await readdir(this.options.dir))
      .filter((name) => name.endsWith(SEGMENT_SUFFIX))
      .sort();
    for (const [position, name] of names.entries()) {
      const baseOffset = Number(name.slice(0, -SEGMENT_SUFFIX.length));
      const path = join(this.options.dir, name);
      if (baseOffset !== this.nextOffset && position > 0) {
        await this.dropSegments(names.slice(position), 'segment does not continue the log');
        break;
      }
      const scan = await scanAndRepairSegment(path, baseOffset);
      const segment = await this.openSegment(baseOffset, path, scan.validBytes);
      for (const { header, position: at } of scan.batches) {
        const offset = Number(header.baseOffset);
        segment.index.push(offset, at, header.size, Number(header.maxTimestamp));
        this.producers.record(header, offset);
      }
      this.nextOffset = scan.nextOffset;
      if (scan.problem) {
        this.options.logger.warn('log tail truncated', {
          topic: this.topic,
          partition: this.partition,
          segment: name,
          reason: scan.problem,
          keptBytes: scan.validBytes,
          droppedBytes: scan.droppedBytes,
        });
        await this.dropSegments(names.slice(position + 1), 'segment follows a truncated one');
        break;
      }
    }
    if (this.segments.length === 0) {
      await this.createSegment(0);
    }
    this.readable = this.nextOffset;
  }

  private async dropSegments(names: string[], reason: string): Promise<void> {
    for (const name of names) {
      this.options.logger.warn('log segment dropped', {
        topic: this.topic,
        partition: this.partition,
        segment: name,
        reason,
      });
      await rm(join(this.options.dir, name), { force: true });
    }
  }

  private async createSegment(baseOffset: number): Promise<Segment> {
    const name = `${String(baseOffset).padStart(20, '0')}${SEGMENT_SUFFIX}`;
    const segment = await this.openSegment(baseOffset, join(this.options.dir, name), 0);
    if (this.options.fsync) {
      await syncDirectory(this.options.dir);
    }

    return segment;
  }

  private async openSegment(baseOffset: number, path: string, size: number): Promise<Segment> {
    // Append mode: every write lands at the end the scan left, whatever position we pass.
    const handle = await open(path, 'a+');
    const segment = { baseOffset, path, handle, size, index: new OffsetIndex() };
    this.segments.push(segment);

    return segment;
  }

  private async writeBatches(batches: PendingBatch[]): Promise<void> {
    if (this.failure) {
      throw this.failure;
    }
    try {
      let segment = this.segments[this.segments.length - 1];
      if (segment.size >= this.options.segmentBytes) {
        segment = await this.createSegment(batches[0].baseOffset);
      }
      const buffers = batches.map((pending) => pending.batch);
      const length = buffers.reduce((sum, buffer) => sum + buffer.length, 0);
      const { bytesWritten } = await segment.handle.writev(buffers);
      if (bytesWritten !== length) {
        throw new Error(`short write: ${bytesWritten} of ${length} bytes`);
      }
      if (this.options.fsync) {
        await segment.handle.datasync();
      }
      for (const pending of batches) {
        segment.index.push(
          pending.baseOffset,
          segment.size,
          pending.batch.length,
          pending.maxTimestamp,
        );
        segment.size += pending.batch.length;
      }
      const last = batches[batches.length - 1];
      this.readable = last.baseOffset + readBatchHeader(last.batch).lastOffsetDelta + 1;
    } catch (error) {
      this.failure = error as Error;
      this.options.logger.error('log write failed', {
        topic: this.topic,
        partition: this.partition,
        error: (error as Error).message,
      });
      throw new LogFailedError(`log of ${this.topic}/${this.partition} failed`);
    }
    this.options.onAppended();
  }

  private segmentFor(offset: number): Segment {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.segments[middle].baseOffset <= offset) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }

    return this.segments[low];
  }

  private async readRange(segment: Segment, position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const { bytesRead } = await segment.handle.read(buffer, done, length - done, position + done);
      if (bytesRead === 0) {
        throw new Error(`segment ${segment.path} ended early`);
      }
      done += bytesRead;
    }

    return buffer;
  }
}

function firstRecordAtOrAfter(
  batch: Buffer,
  timestamp: number,
): { offset: number; timestamp: number } {
  const header = readBatchHeader(batch);
  // TODO(#4): snappy, lz4 and zstd batches are stored as received and not decoded here (no
  // decoder in the project): a time inside one resolves to its first offset, so a reader may
  // see a few records from just before.
  if (compressionOf(header.attributes) > GZIP_CODEC) {
    return { offset: Number(header.baseOffset), timestamp: Number(header.maxTimestamp) };
  }
  const record = decodeRecords(batch).find((candidate) => candidate.timestamp >= timestamp);

  return {
    offset: Number(record?.offset ?? header.baseOffset),
    timestamp: Number(record?.timestamp ?? header.maxTimestamp),
  };
}
