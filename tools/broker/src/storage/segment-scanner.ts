import { readFile, truncate } from 'node:fs/promises';

import { BatchHeader, checkBatch, readBatchHeader } from '../protocol/record-batch';

export interface ScannedBatch {
  header: BatchHeader;
  position: number;
}

export interface SegmentScan {
  batches: ScannedBatch[];
  /** Offset after the last valid batch. */
  nextOffset: number;
  validBytes: number;
  /** Why scanning stopped before the end of the file, if it did. */
  problem: string | null;
  droppedBytes: number;
}

/**
 * Reads a segment file from the start and keeps the longest prefix of intact, contiguous
 * batches. Whatever follows (a batch cut short by a crash, a checksum mismatch, an offset gap)
 * is cut off the file, so that appends continue from a clean end.
 */
export async function scanAndRepairSegment(path: string, baseOffset: number): Promise<SegmentScan> {
  const data = await readFile(path);
  const batches: ScannedBatch[] = [];
  let position = 0;
  let nextOffset = baseOffset;
  let problem: string | null = null;
  while (position < data.length) {
    const checked = checkBatch(data, position, data.length);
    if (typeof checked !== 'number') {
      problem = checked;
      break;
    }
    const header = readBatchHeader(data, position);
    if (header.baseOffset !== BigInt(nextOffset)) {
      problem = 'offset-gap';
      break;
    }
    batches.push({ header, position });
    nextOffset += header.lastOffsetDelta + 1;
    position += checked;
  }
  if (position < data.length) {
    await truncate(path, position);
  }

  return {
    batches,
    nextOffset,
    validBytes: position,
    problem,
    droppedBytes: data.length - position,
  };
}
