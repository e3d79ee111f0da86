import { gunzipSync } from 'node:zlib';

import { ErrorCode } from './api-keys';
import { crc32c } from './crc32c';
import { encodeVarInt, encodeVarLong, readVarInt, readVarLong } from './varint';

/** Byte positions inside a record batch (magic 2); see the field guide §4.1. */
export const BatchField = {
  baseOffset: 0,
  batchLength: 8,
  partitionLeaderEpoch: 12,
  magic: 16,
  crc: 17,
  attributes: 21,
  lastOffsetDelta: 23,
  baseTimestamp: 27,
  maxTimestamp: 35,
  producerId: 43,
  producerEpoch: 51,
  baseSequence: 53,
  recordCount: 57,
  records: 61,
} as const;

/** Bytes in front of `batchLength` that it does not count. */
export const BATCH_LOG_OVERHEAD = 12;
const COMPRESSION_MASK = 0x07;
const GZIP = 1;
const TRANSACTIONAL_FLAG = 0x10;
const CONTROL_FLAG = 0x20;

export interface BatchHeader {
  baseOffset: bigint;
  /** Whole batch, header included. */
  size: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

export function readBatchHeader(data: Buffer, at = 0): BatchHeader {
  return {
    baseOffset: data.readBigInt64BE(at + BatchField.baseOffset),
    size: BATCH_LOG_OVERHEAD + data.readInt32BE(at + BatchField.batchLength),
    magic: data.readInt8(at + BatchField.magic),
    crc: data.readUInt32BE(at + BatchField.crc),
    attributes: data.readInt16BE(at + BatchField.attributes),
    lastOffsetDelta: data.readInt32BE(at + BatchField.lastOffsetDelta),
    baseTimestamp: data.readBigInt64BE(at + BatchField.baseTimestamp),
    maxTimestamp: data.readBigInt64BE(at + BatchField.maxTimestamp),
    producerId: data.readBigInt64BE(at + BatchField.producerId),
    producerEpoch: data.readInt16BE(at + BatchField.producerEpoch),
    baseSequence: data.readInt32BE(at + BatchField.baseSequence),
    recordCount: data.readInt32BE(at + BatchField.recordCount),
  };
}

export type BatchProblem = 'truncated' | 'bad-length' | 'bad-magic' | 'bad-crc';

/**
 * Checks the framing and checksum of the batch starting at `at`, reading no further than
 * `end`. Returns the batch size, or what is wrong with it.
 */
export function checkBatch(data: Buffer, at: number, end: number): number | BatchProblem {
  if (end - at < BatchField.records) {
    return 'truncated';
  }
  const size = BATCH_LOG_OVERHEAD + data.readInt32BE(at + BatchField.batchLength);
  if (size < BatchField.records) {
    return 'bad-length';
  }
  if (at + size > end) {
    return 'truncated';
  }
  if (data.readInt8(at + BatchField.magic) !== 2) {
    return 'bad-magic';
  }
  const stored = data.readUInt32BE(at + BatchField.crc);
  if (crc32c(data, at + BatchField.attributes, at + size) !== stored) {
    return 'bad-crc';
  }

  return size;
}

export type SplitResult = { batches: Buffer[] } | { error: ErrorCode };

/**
 * Validates the record set of one partition in a Produce request and splits it into batches.
 * Kafka stores batches as received, so nothing is decompressed here.
 */
export function splitProducedBatches(records: Buffer | null, maxBatchBytes: number): SplitResult {
  if (records === null || records.length === 0) {
    return { error: ErrorCode.InvalidRecord };
  }
  const batches: Buffer[] = [];
  for (let at = 0; at < records.length;) {
    const checked = checkBatch(records, at, records.length);
    if (typeof checked !== 'number') {
      return {
        error: checked === 'bad-magic' ? ErrorCode.InvalidRecord : ErrorCode.CorruptMessage,
      };
    }
    const batch = records.subarray(at, at + checked);
    const error = checkProducedBatch(readBatchHeader(batch), maxBatchBytes);
    if (error !== ErrorCode.None) {
      return { error };
    }
    batches.push(batch);
    at += checked;
  }

  return { batches };
}

function checkProducedBatch(header: BatchHeader, maxBatchBytes: number): ErrorCode {
  if (header.size > maxBatchBytes) {
    return ErrorCode.MessageTooLarge;
  }
  // Control batches are written by transaction coordinators, never by producers; this broker
  // has no transactions, so transactional batches could never be committed or aborted.
  if (header.attributes & (CONTROL_FLAG | TRANSACTIONAL_FLAG)) {
    return ErrorCode.InvalidRecord;
  }
  if (header.recordCount < 1 || header.lastOffsetDelta !== header.recordCount - 1) {
    return ErrorCode.InvalidRecord;
  }

  return ErrorCode.None;
}

/**
 * Stamps the broker-assigned offset and leader epoch. Both lie before the CRC-covered range,
 * so the checksum stays valid.
 */
export function assignBaseOffset(batch: Buffer, baseOffset: number): void {
  batch.writeBigInt64BE(BigInt(baseOffset), BatchField.baseOffset);
  batch.writeInt32BE(0, BatchField.partitionLeaderEpoch);
}

export function compressionOf(attributes: number): number {
  return attributes & COMPRESSION_MASK;
}

export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface DecodedRecord {
  offset: bigint;
  timestamp: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

/**
 * Decodes the records of a batch: uncompressed, or gzip (which Node can inflate). Batches in
 * other codecs are stored and served as received; decoding them throws.
 */
export function decodeRecords(batch: Buffer): DecodedRecord[] {
  const header = readBatchHeader(batch);
  const cursor = { buffer: recordSection(batch, header), offset: 0 };
  const readBytes = (): Buffer | null => {
    const length = readVarInt(cursor);
    if (length < 0) {
      return null;
    }
    const start = cursor.offset;
    cursor.offset += length;

    return cursor.buffer.subarray(start, cursor.offset);
  };

  return Array.from({ length: header.recordCount }, () => {
    readVarInt(cursor); // record length
    cursor.offset += 1; // record attributes, unused
    const timestampDelta = readVarLong(cursor);
    const offsetDelta = readVarInt(cursor);
    const key = readBytes();
    const value = readBytes();
    const headers = Array.from({ length: readVarInt(cursor) }, () => ({
      key: (readBytes() ?? Buffer.alloc(0)).toString('utf8'),
      value: readBytes(),
    }));

    return {
      offset: header.baseOffset + BigInt(offsetDelta),
      timestamp: header.baseTimestamp + timestampDelta,
      key,
      value,
      headers,
    };
  });
}

function recordSection(batch: Buffer, header: BatchHeader): Buffer {
  const stored = batch.subarray(BatchField.records, header.size);
  const codec = compressionOf(header.attributes);
  if (codec === 0) {
    return stored;
  }
  if (codec === GZIP) {
    return gunzipSync(stored);
  }
  throw new Error(`batches compressed with codec ${codec} are stored as received, not decoded`);
}

export interface NewRecord {
  key?: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  timestamp?: bigint;
}

/** Encodes an uncompressed, non-idempotent batch the way a plain producer would send it. */
export function encodeRecordBatch(records: NewRecord[], baseOffset = 0n): Buffer {
  const now = BigInt(Date.now());
  const timestamps = records.map((record) => record.timestamp ?? now);
  const baseTimestamp = timestamps.reduce((a, b) => (b < a ? b : a), timestamps[0] ?? now);
  const maxTimestamp = timestamps.reduce((a, b) => (b > a ? b : a), baseTimestamp);
  const body = Buffer.concat(
    records.map((record, index) =>
      encodeRecord(record, index, (timestamps[index] ?? now) - baseTimestamp),
    ),
  );
  const batch = Buffer.alloc(BatchField.records + body.length);
  batch.writeBigInt64BE(baseOffset, BatchField.baseOffset);
  batch.writeInt32BE(batch.length - BATCH_LOG_OVERHEAD, BatchField.batchLength);
  batch.writeInt8(2, BatchField.magic);
  batch.writeInt32BE(records.length - 1, BatchField.lastOffsetDelta);
  batch.writeBigInt64BE(baseTimestamp, BatchField.baseTimestamp);
  batch.writeBigInt64BE(maxTimestamp, BatchField.maxTimestamp);
  batch.writeBigInt64BE(-1n, BatchField.producerId);
  batch.writeInt16BE(-1, BatchField.producerEpoch);
  batch.writeInt32BE(-1, BatchField.baseSequence);
  batch.writeInt32BE(records.length, BatchField.recordCount);
  body.copy(batch, BatchField.records);
  batch.writeUInt32BE(crc32c(batch, BatchField.attributes), BatchField.crc);

  return batch;
}

function encodeRecord(record: NewRecord, offsetDelta: number, timestampDelta: bigint): Buffer {
  const nullable = (data: Buffer | null | undefined): Buffer[] =>
    data === null || data === undefined ? [encodeVarInt(-1)] : [encodeVarInt(data.length), data];
  const headers = record.headers ?? [];
  const body = Buffer.concat([
    Buffer.from([0]),
    encodeVarLong(timestampDelta),
    encodeVarInt(offsetDelta),
    ...nullable(record.key),
    ...nullable(record.value),
    encodeVarInt(headers.length),
    ...headers.flatMap((header) => [
      ...nullable(Buffer.from(header.key, 'utf8')),
      ...nullable(header.value),
    ]),
  ]);

  return Buffer.concat([encodeVarInt(body.length), body]);
}
