import {
  Admin,
  CompressionTypes,
  Consumer,
  EachMessagePayload,
  Partitioners,
  Producer,
} from 'kafkajs';

import { BrokerFixture, randomName, waitUntil } from '../testing/broker-fixture';
import { KafkaClients, startKafkaClients } from '../testing/kafka-clients';

describe('broker with kafkajs', () => {
  let clients: KafkaClients;
  let fixture: BrokerFixture;
  let admin: Admin;
  let producer: Producer;

  const newConsumer = (groupId: string, overrides: Record<string, number> = {}) =>
    clients.consumer(groupId, { sessionTimeout: 6_000, ...overrides });

  beforeAll(async () => {
    clients = await startKafkaClients();
    ({ fixture, admin, producer } = clients);
  });

  afterAll(async () => {
    await clients.stop();
  });

  it('round-trips keyed messages with headers across several partitions', async () => {
    const topic = randomName('round-trip');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const sent = Array.from({ length: 30 }, (_, i) => ({
      key: `key-${i % 10}`,
      value: i === 7 ? null : `value-${i}`,
      headers: { seq: String(i), tag: ['a', 'b'] },
    }));
    await producer.send({ topic, messages: sent.slice(0, 15) });
    await producer.send({ topic, messages: sent.slice(15) });

    const received: EachMessagePayload[] = [];
    const consumer = newConsumer(randomName('group'));
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async (payload) => void received.push(payload) });
    await waitUntil(() => received.length >= 30, 15_000, '30 messages');

    const bySeq = new Map(received.map((p) => [String(p.message.headers?.seq), p]));
    sent.forEach((message, i) => {
      const got = bySeq.get(String(i))!;
      expect(got.message.key?.toString()).toBe(message.key);
      expect(got.message.value === null ? null : got.message.value.toString()).toBe(message.value);
      expect((got.message.headers?.tag as Buffer[]).map(String)).toEqual(['a', 'b']);
    });
    const partitionsOfKey = new Map<string, Set<number>>();
    received.forEach(({ partition, message }) => {
      const key = String(message.key);
      partitionsOfKey.set(key, (partitionsOfKey.get(key) ?? new Set()).add(partition));
    });
    expect([...partitionsOfKey.values()].every((set) => set.size === 1)).toBe(true);
    expect(new Set(received.map((p) => p.partition)).size).toBeGreaterThan(1);
    for (const partition of [0, 1, 2]) {
      const offsets = received
        .filter((p) => p.partition === partition)
        .map((p) => Number(p.message.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
  });

  it('serves an idempotent producer and gzip-compressed batches', async () => {
    const topic = randomName('idempotent');
    const idempotent = fixture.kafka().producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await idempotent.connect();
    await idempotent.send({ topic, messages: [{ key: 'k', value: 'plain' }] });
    await idempotent.send({
      topic,
      compression: CompressionTypes.GZIP,
      messages: [
        { key: 'k', value: 'zipped-1' },
        { key: 'k', value: 'zipped-2' },
      ],
    });
    await idempotent.disconnect();

    const values: string[] = [];
    const consumer = newConsumer(randomName('group'));
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => void values.push(String(message.value)),
    });
    await waitUntil(() => values.length >= 3, 10_000, 'three messages');
    expect(values).toEqual(['plain', 'zipped-1', 'zipped-2']);
  });

  it('creates, describes and reports offsets through the admin client', async () => {
    const topic = randomName('admin');
    const groupId = randomName('group');

    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] })).toBe(true);
    expect(await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] })).toBe(false);
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    expect(metadata.topics[0].partitions.map((p) => [p.partitionId, p.leader])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 0],
    ]);
    await expect(admin.fetchTopicMetadata({ topics: [randomName('missing')] })).rejects.toThrow();
    expect(await admin.listTopics()).toContain(topic);

    await producer.send({
      topic,
      messages: [1, 2, 3].map((n) => ({ value: `${n}`, partition: 1, timestamp: `${n * 1000}` })),
    });
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, 1500);
    expect(byTime.find((o) => o.partition === 1)?.offset).toBe('1');
    const offsets = await admin.fetchTopicOffsets(topic);
    expect(offsets.find((o) => o.partition === 1)).toMatchObject({ low: '0', high: '3' });
    expect(offsets.find((o) => o.partition === 0)).toMatchObject({ low: '0', high: '0' });

    const consumer = newConsumer(groupId);
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => undefined });
    const committedOn = async (partition: number) => {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });

      return committed.partitions.find((p) => p.partition === partition)?.offset;
    };
    await waitUntil(async () => (await committedOn(1)) === '3', 10_000, 'the commit');
    expect(await committedOn(0)).toBe('-1');
    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0]).toMatchObject({ groupId, state: 'Stable', protocolType: 'consumer' });
    expect(groups[0].members).toHaveLength(1);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).toContain(groupId);

    await consumer.disconnect();
    await admin.deleteGroups([groupId]);
    expect((await admin.listGroups()).groups.map((g) => g.groupId)).not.toContain(groupId);
    await admin.deleteTopics({ topics: [topic] });
    expect(await admin.listTopics()).not.toContain(topic);
  });

  it('wakes a waiting fetch as soon as a message is produced', async () => {
    const topic = randomName('long-poll');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const consumer = newConsumer(randomName('group'), { maxWaitTimeInMs: 5_000 });
    let lastFetchStartAt = 0;
    consumer.on(consumer.events.FETCH_START, () => (lastFetchStartAt = Date.now()));
    const arrivals: number[] = [];
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async () => void arrivals.push(Date.now()) });

    const latencies: number[] = [];
    for (let round = 1; round <= 3; round++) {
      const previousArrival = arrivals[round - 2] ?? 0;
      await waitUntil(() => lastFetchStartAt > previousArrival, 10_000, 'the next fetch');
      // The fetch has left the client; give it a moment to reach the broker and park there.
      await new Promise((resolve) => setTimeout(resolve, 100));
      const sentAt = Date.now();
      await producer.send({ topic, messages: [{ value: `round ${round}` }] });
      await waitUntil(() => arrivals.length >= round, 10_000, `message ${round}`);
      latencies.push(arrivals[round - 1] - sentAt);
    }
    // kafkajs' stop waits for the parked fetch; one more message ends it without the 5 s wait.
    const stopping = consumer.disconnect();
    await producer.send({ topic, messages: [{ value: 'goodbye' }] });
    await stopping;

    // Without a wake-up each round would take the full 5 s max wait.
    expect(Math.max(...latencies)).toBeLessThan(1_000);
  });

  it('splits partitions between two consumers of one group and rebalances on leave', async () => {
    const topic = randomName('split');
    const groupId = randomName('group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
    const assignments = new Map<Consumer, number[]>();
    const track = (consumer: Consumer) =>
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
        assignments.set(consumer, [...(payload.memberAssignment[topic] ?? [])].sort()),
      );
    const first = newConsumer(groupId);
    const second = newConsumer(groupId);
    track(first);
    track(second);
    const seen = new Map<Consumer, Set<number>>([
      [first, new Set()],
      [second, new Set()],
    ]);
    for (const consumer of [first, second]) {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition }) => void seen.get(consumer)!.add(partition),
      });
    }

    await waitUntil(
      () => assignments.get(first)?.length === 2 && assignments.get(second)?.length === 2,
      20_000,
      'two partitions each',
    );
    expect([...assignments.get(first)!, ...assignments.get(second)!].sort()).toEqual([0, 1, 2, 3]);

    await producer.send({
      topic,
      messages: [0, 1, 2, 3].map((partition) => ({ partition, value: 'x' })),
    });
    await waitUntil(
      () => seen.get(first)!.size + seen.get(second)!.size === 4,
      10_000,
      'all partitions',
    );
    expect([...seen.get(first)!].sort()).toEqual(assignments.get(first));

    await second.disconnect();
    await waitUntil(
      () => assignments.get(first)?.length === 4,
      20_000,
      'a rebalance onto the first',
    );
  });
});
