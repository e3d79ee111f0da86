import { appendFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { decodeRecords, encodeRecordBatch, readBatchHeader } from '../protocol/record-batch';
import { RecordingLogger } from '../testing/broker-fixture';
import { PartitionLog } from './partition-log';

describe(PartitionLog.name, () => {
  let dir: string;
  let logger: RecordingLogger;
  let appended: number;

  const open = (segmentBytes = 1024 * 1024) =>
    PartitionLog.open({
      dir,
      topic: 'orders',
      partition: 0,
      segmentBytes,
      fsync: true,
      logger,
      onAppended: () => appended++,
    });
  const batchOf = (...values: string[]) => {
    const batch = encodeRecordBatch(values.map((value) => ({ value: Buffer.from(value) })));

    return { batch, header: readBatchHeader(batch) };
  };
  const valuesIn = (data: Buffer): string[] => {
    const values: string[] = [];
    for (let at = 0; at < data.length;) {
      const size = readBatchHeader(data, at).size;
      decodeRecords(data.subarray(at, at + size)).forEach((r) => values.push(String(r.value)));
      at += size;
    }

    return values;
  };
  const segmentFile = async () => join(dir, (await readdir(dir)).sort()[0]);

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'partition-log-spec-'));
    logger = new RecordingLogger();
    appended = 0;
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('hands out consecutive offsets and makes batches readable once written', async () => {
    const log = await open();
    const first = log.append([batchOf('a', 'b')]);
    const second = log.append([batchOf('c')]);

    expect([first.baseOffset, second.baseOffset]).toEqual([0, 2]);
    await Promise.all([first.written, second.written]);
    expect(log.highWatermark).toBe(3);
    expect(appended).toBeGreaterThanOrEqual(1);
    expect(valuesIn(await log.read(0, 1_000_000, true))).toEqual(['a', 'b', 'c']);
    await log.close();
  });

  it('starts a read at the batch that holds the requested offset', async () => {
    const log = await open();
    await log.append([batchOf('a', 'b')]).written;
    await log.append([batchOf('c', 'd')]).written;

    expect(valuesIn(await log.read(3, 1_000_000, true))).toEqual(['c', 'd']);
    expect(valuesIn(await log.read(1, 1_000_000, true))).toEqual(['a', 'b', 'c', 'd']);
    expect(await log.read(4, 1_000_000, true)).toHaveLength(0);
    await log.close();
  });

  it('returns one oversized batch only when asked for at least one', async () => {
    const log = await open();
    await log.append([batchOf('a'.repeat(500))]).written;

    expect(await log.read(0, 10, false)).toHaveLength(0);
    expect(valuesIn(await log.read(0, 10, true))).toEqual(['a'.repeat(500)]);
    await log.close();
  });

  it('rebuilds its index from the files after a reopen', async () => {
    const log = await open(200);
    for (const value of ['one', 'two', 'three', 'four', 'five']) {
      await log.append([batchOf(value.repeat(20))]).written;
    }
    await log.close();

    const reopened = await open(200);

    expect((await readdir(dir)).length).toBeGreaterThan(1);
    expect(reopened.highWatermark).toBe(5);
    expect(valuesIn(await reopened.read(3, 1_000_000, true))).toEqual(['four'.repeat(20)]);
    expect(reopened.append([batchOf('six')]).baseOffset).toBe(5);
    await reopened.close();
  });

  it('cuts a torn tail off at startup and logs a warning', async () => {
    const log = await open();
    await log.append([batchOf('kept')]).written;
    await log.close();
    const file = await segmentFile();
    const intactSize = (await stat(file)).size;
    await appendFile(file, batchOf('torn').batch.subarray(0, 40));

    const reopened = await open();

    expect((await stat(file)).size).toBe(intactSize);
    expect(logger.messages('warn')).toContain('log tail truncated');
    expect(reopened.highWatermark).toBe(1);
    await reopened.append([batchOf('next')]).written;
    expect(valuesIn(await reopened.read(0, 1_000_000, true))).toEqual(['kept', 'next']);
    await reopened.close();
  });

  it('cuts a tail batch whose checksum does not match', async () => {
    const log = await open();
    await log.append([batchOf('kept')]).written;
    await log.close();
    const corrupt = batchOf('flipped').batch;
    corrupt[corrupt.length - 2] ^= 0x01;
    corrupt.writeBigInt64BE(1n, 0);
    await appendFile(await segmentFile(), corrupt);

    const reopened = await open();

    expect(reopened.highWatermark).toBe(1);
    expect(logger.entries).toContainEqual(
      expect.objectContaining({
        message: 'log tail truncated',
        fields: expect.objectContaining({ reason: 'bad-crc' }),
      }),
    );
    await reopened.close();
  });

  it('finds the first offset at or after a timestamp', async () => {
    const log = await open();
    const batch = encodeRecordBatch([
      { value: Buffer.from('early'), timestamp: 1000n },
      { value: Buffer.from('late'), timestamp: 2000n },
    ]);
    await log.append([{ batch, header: readBatchHeader(batch) }]).written;

    expect(await log.offsetForTimestamp(1500)).toEqual({ offset: 1, timestamp: 2000 });
    expect(await log.offsetForTimestamp(2500)).toBeNull();
    await log.close();
  });

  it('answers a retried idempotent batch instead of appending it twice', async () => {
    const log = await open();
    const { batch } = batchOf('once');
    batch.writeBigInt64BE(7n, 43); // producer id
    batch.writeInt16BE(0, 51); // epoch
    batch.writeInt32BE(0, 53); // base sequence
    const stamped = readBatchHeader(batch);
    await log.append([{ batch, header: stamped }]).written;

    expect(log.producers.check(stamped)).toEqual({ kind: 'duplicate', baseOffset: 0 });
    expect(log.producers.check({ ...stamped, baseSequence: 5 })).toMatchObject({ kind: 'reject' });
    await log.close();
  });
});
