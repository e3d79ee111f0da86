import { Admin, CompressionTypes, Producer } from 'kafkajs';

import { randomName, waitUntil } from '../testing/broker-fixture';
import { KafkaClients, startKafkaClients } from '../testing/kafka-clients';

const RECORDS = 10;
const STEP_MS = 1_000;

describe('a consumer starting from a point in time (ListOffsets by timestamp)', () => {
  let clients: KafkaClients;
  let admin: Admin;
  let producer: Producer;
  const topic = randomName('by-time');
  const base = Date.now() - 3_600_000;
  const at = (i: number) => base + i * STEP_MS;
  const offsetsAt = async (timestamp: number) =>
    Object.fromEntries(
      (await admin.fetchTopicOffsetsByTimestamp(topic, timestamp)).map((o) => [
        o.partition,
        Number(o.offset),
      ]),
    );

  beforeAll(async () => {
    clients = await startKafkaClients();
    ({ admin, producer } = clients);
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    // Partition 0: one plain batch per record. Partition 1: one gzip batch of all ten.
    // Partition 2 stays empty.
    for (let i = 0; i < RECORDS; i++) {
      await producer.send({
        topic,
        messages: [{ partition: 0, value: `p0-${i}`, timestamp: `${at(i)}` }],
      });
    }
    await producer.send({
      topic,
      compression: CompressionTypes.GZIP,
      messages: Array.from({ length: RECORDS }, (_, i) => ({
        partition: 1,
        value: `p1-${i}`,
        timestamp: `${at(i)}`,
      })),
    });
  });

  afterAll(async () => {
    await clients.stop();
  });

  it('finds the first offset at or after a time, inside a gzip batch too', async () => {
    expect(await offsetsAt(at(4))).toEqual({ 0: 4, 1: 4, 2: 0 });
    expect(await offsetsAt(at(4) + 1)).toEqual({ 0: 5, 1: 5, 2: 0 });
  });

  it('answers the high watermark for a time after the last record', async () => {
    expect(await offsetsAt(at(RECORDS) + 60_000)).toEqual({ 0: 10, 1: 10, 2: 0 });
  });

  it('answers the earliest offset for a time before the first record', async () => {
    expect(await offsetsAt(base - 60_000)).toEqual({ 0: 0, 1: 0, 2: 0 });
  });

  it('lets a consumer seek there and read exactly the records at or after that time', async () => {
    const from = at(6) - 500;
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, from);
    const received: Array<{ value: string; timestamp: number }> = [];
    const consumer = clients.consumer(randomName('from-time'));
    await consumer.connect();
    await consumer.subscribe({ topic });
    await consumer.run({
      eachMessage: async ({ message }) =>
        void received.push({ value: String(message.value), timestamp: Number(message.timestamp) }),
    });
    offsets.forEach(({ partition, offset }) => consumer.seek({ topic, partition, offset }));

    const expected = [0, 1].flatMap((p) => [6, 7, 8, 9].map((i) => `p${p}-${i}`));
    await waitUntil(() => received.length >= expected.length, 15_000, 'the later records');
    // One more round of fetches: nothing from before the time shows up late.
    await producer.send({ topic, messages: [{ partition: 2, value: 'marker' }] });
    await waitUntil(() => received.some((r) => r.value === 'marker'), 10_000, 'the marker');

    expect(
      received
        .filter((r) => r.value !== 'marker')
        .map((r) => r.value)
        .sort(),
    ).toEqual(expected.sort());
    expect(received.filter((r) => r.value !== 'marker').every((r) => r.timestamp >= from)).toBe(
      true,
    );
  });
});
