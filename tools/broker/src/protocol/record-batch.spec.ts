import { ErrorCode } from './api-keys';
import { crc32c } from './crc32c';
import {
  assignBaseOffset,
  BatchField,
  checkBatch,
  decodeRecords,
  encodeRecordBatch,
  readBatchHeader,
  splitProducedBatches,
} from './record-batch';

// kafkajs' encoders produce the reference batches: the exact bytes its producer sends.
const { RecordBatch: kafkajsRecordBatch } = require('kafkajs/src/protocol/recordBatch/v0');
const kafkajsRecord = require('kafkajs/src/protocol/recordBatch/record/v0');
const { Types: Compression } = require('kafkajs/src/protocol/message/compression');

/** A batch exactly as kafkajs' producer encodes it. */
async function kafkajsBatch(compression = Compression.None): Promise<Buffer> {
  const records = [
    kafkajsRecord({ offsetDelta: 0, key: Buffer.from('k1'), value: Buffer.from('v1') }),
    kafkajsRecord({
      offsetDelta: 1,
      timestampDelta: 5,
      key: null,
      value: null,
      headers: { trace: Buffer.from('abc'), repeated: [Buffer.from('1'), Buffer.from('2')] },
    }),
  ];
  const encoded = await kafkajsRecordBatch({
    compression,
    firstTimestamp: 1_700_000_000_000,
    maxTimestamp: 1_700_000_000_005,
    lastOffsetDelta: 1,
    records,
  });

  // First offset, then the length-prefixed rest: exactly the batch layout on the wire.
  return encoded.buffer as Buffer;
}

describe('record batches', () => {
  it('accepts the checksum of a kafkajs batch', async () => {
    const batch = await kafkajsBatch();

    expect(checkBatch(batch, 0, batch.length)).toBe(batch.length);
  });

  it('accepts a gzip batch without decompressing it', async () => {
    const batch = await kafkajsBatch(Compression.GZIP);
    const split = splitProducedBatches(batch, 1_000_000);

    expect(split).toEqual({ batches: [batch] });
  });

  it('decodes the records of a gzip batch the same as of a plain one', async () => {
    const plain = decodeRecords(await kafkajsBatch());
    const zipped = decodeRecords(await kafkajsBatch(Compression.GZIP));

    expect(zipped).toEqual(plain);
  });

  it('decodes keys, null values and repeated headers of a kafkajs batch', async () => {
    const records = decodeRecords(await kafkajsBatch());

    expect(records).toHaveLength(2);
    expect(records[0].key?.toString()).toBe('k1');
    expect(records[0].value?.toString()).toBe('v1');
    expect(records[1]).toMatchObject({ offset: 1n, timestamp: 1_700_000_000_005n, key: null });
    expect(records[1].value).toBeNull();
    expect(records[1].headers.map((h) => `${h.key}=${h.value}`)).toEqual([
      'trace=abc',
      'repeated=1',
      'repeated=2',
    ]);
  });

  it('keeps the checksum valid when the broker stamps the base offset', async () => {
    const batch = await kafkajsBatch();
    assignBaseOffset(batch, 41);

    expect(readBatchHeader(batch).baseOffset).toBe(41n);
    expect(checkBatch(batch, 0, batch.length)).toBe(batch.length);
    expect(decodeRecords(batch).map((r) => r.offset)).toEqual([41n, 42n]);
  });

  it('reports a flipped byte as a checksum mismatch', async () => {
    const batch = await kafkajsBatch();
    batch[batch.length - 3] ^= 0xff;

    expect(checkBatch(batch, 0, batch.length)).toBe('bad-crc');
    expect(splitProducedBatches(batch, 1_000_000)).toEqual({ error: ErrorCode.CorruptMessage });
  });

  it('reports a batch cut short as truncated', async () => {
    const batch = await kafkajsBatch();

    expect(checkBatch(batch, 0, batch.length - 1)).toBe('truncated');
    expect(checkBatch(batch, 0, 30)).toBe('truncated');
  });

  it('refuses batches larger than the message size limit', async () => {
    const batch = await kafkajsBatch();

    expect(splitProducedBatches(batch, batch.length - 1)).toEqual({
      error: ErrorCode.MessageTooLarge,
    });
  });

  it('refuses control batches, which only a transaction coordinator writes', () => {
    const batch = encodeRecordBatch([{ value: Buffer.from('x') }]);
    batch.writeInt16BE(0x20, BatchField.attributes);
    const fixed = encodeWithCrc(batch);

    expect(splitProducedBatches(fixed, 1_000_000)).toEqual({ error: ErrorCode.InvalidRecord });
  });

  it('refuses old message formats', () => {
    const batch = encodeRecordBatch([{ value: Buffer.from('x') }]);
    batch.writeInt8(1, BatchField.magic);

    expect(splitProducedBatches(batch, 1_000_000)).toEqual({ error: ErrorCode.InvalidRecord });
  });

  it('splits a record set holding two batches', () => {
    const first = encodeRecordBatch([{ value: Buffer.from('a') }]);
    const second = encodeRecordBatch([{ value: Buffer.from('b') }, { value: Buffer.from('c') }]);

    expect(splitProducedBatches(Buffer.concat([first, second]), 1_000_000)).toEqual({
      batches: [first, second],
    });
  });

  it('round-trips its own encoder through the decoder', () => {
    const batch = encodeRecordBatch([
      { key: Buffer.from('k'), value: Buffer.from('v'), headers: [{ key: 'h', value: null }] },
    ]);
    const [record] = decodeRecords(batch);

    expect(record.key?.toString()).toBe('k');
    expect(record.headers).toEqual([{ key: 'h', value: null }]);
  });
});

function encodeWithCrc(batch: Buffer): Buffer {
  batch.writeUInt32BE(crc32c(batch, BatchField.attributes), BatchField.crc);

  return batch;
}
