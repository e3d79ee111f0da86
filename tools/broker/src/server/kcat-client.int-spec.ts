import { Admin, CompressionTypes, Producer } from 'kafkajs';

import { BrokerFixture, randomName, waitUntil } from '../testing/broker-fixture';
import { KafkaClients, startKafkaClients } from '../testing/kafka-clients';
import {
  describeWithKcat,
  kcat,
  kcatMessages,
  lastAssignment,
  RunningKcat,
  startKcat,
} from '../testing/kcat';

/** Debian's kcat (librdkafka) against the broker: metadata, produce, consume, groups, time. */
describeWithKcat('broker with kcat (librdkafka)', () => {
  let clients: KafkaClients;
  let fixture: BrokerFixture;
  let admin: Admin;
  let producer: Producer;
  const members: RunningKcat[] = [];
  const broker = () => ['-b', fixture.broker.address];
  const consumeAll = async (topic: string, extra: string[] = []) =>
    kcatMessages(await kcat([...broker(), '-C', '-t', topic, '-e', '-J', ...extra]));

  beforeAll(async () => {
    clients = await startKafkaClients();
    ({ fixture, admin, producer } = clients);
  });

  afterAll(async () => {
    await Promise.all(members.map((member) => member.stop()));
    await clients.stop();
  });

  it('lists the broker and the partitions of a topic (-L)', async () => {
    const topic = randomName('kcat-meta');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });

    const metadata = JSON.parse(await kcat([...broker(), '-L', '-J', '-t', topic])) as {
      brokers: Array<{ id: number; name: string }>;
      topics: Array<{ topic: string; partitions: Array<{ partition: number; leader: number }> }>;
    };

    expect(metadata.brokers).toEqual([{ id: 0, name: fixture.broker.address }]);
    expect(metadata.topics[0].topic).toBe(topic);
    expect(metadata.topics[0].partitions.map((p) => [p.partition, p.leader])).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
    ]);
  });

  it.each(['none', 'gzip', 'snappy', 'lz4', 'zstd'])(
    'reads back exactly the keyed messages with headers it produced (-z %s)',
    async (codec) => {
      const topic = randomName(`kcat-${codec}`);
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
      const lines = Array.from({ length: 20 }, (_, i) => `key-${i % 4}:value-${i}`);
      await kcat([...broker(), '-P', '-t', topic, '-K:', '-z', codec, '-H', 'origin=kcat'], {
        input: `${lines.join('\n')}\n`,
      });

      const messages = await consumeAll(topic);

      expect(messages.map((m) => `${m.key}:${m.payload}`).sort()).toEqual([...lines].sort());
      expect(messages.every((m) => m.headers?.join('=') === 'origin=kcat')).toBe(true);
      for (const partition of [0, 1]) {
        const offsets = messages.filter((m) => m.partition === partition).map((m) => m.offset);
        expect(offsets).toEqual(offsets.map((_, i) => i));
      }
      // One key, one partition: the keyed partitioner of librdkafka was honoured.
      const partitionsOfKey = new Map<string, Set<number>>();
      messages.forEach((m) =>
        partitionsOfKey.set(m.key!, (partitionsOfKey.get(m.key!) ?? new Set()).add(m.partition)),
      );
      expect([...partitionsOfKey.values()].every((set) => set.size === 1)).toBe(true);
    },
  );

  it('serves an idempotent librdkafka producer (enable.idempotence) exactly once', async () => {
    const topic = randomName('kcat-idempotent');
    await admin.createTopics({ topics: [{ topic, numPartitions: 3 }] });
    const values = Array.from({ length: 200 }, (_, i) => `i${i}`);
    await kcat([...broker(), '-P', '-t', topic, '-z', 'lz4', '-X', 'enable.idempotence=true'], {
      input: `${values.join('\n')}\n`,
    });

    const messages = await consumeAll(topic);

    expect(messages.map((m) => m.payload).sort()).toEqual([...values].sort());
  });

  it('reads what kafkajs produced, gzip batches and headers included', async () => {
    const topic = randomName('kafkajs-to-kcat');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await producer.send({
      topic,
      compression: CompressionTypes.GZIP,
      messages: [1, 2, 3].map((n) => ({ key: `k${n}`, value: `v${n}`, headers: { n: `${n}` } })),
    });
    await producer.send({ topic, messages: [{ key: 'k4', value: 'v4', headers: { n: '4' } }] });

    const messages = await consumeAll(topic);

    expect(messages.map((m) => [m.offset, m.key, m.payload, m.headers])).toEqual([
      [0, 'k1', 'v1', ['n', '1']],
      [1, 'k2', 'v2', ['n', '2']],
      [2, 'k3', 'v3', ['n', '3']],
      [3, 'k4', 'v4', ['n', '4']],
    ]);
  });

  it('writes what a kafkajs consumer reads', async () => {
    const topic = randomName('kcat-to-kafkajs');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    await kcat([...broker(), '-P', '-t', topic, '-K:', '-z', 'gzip', '-H', 'from=kcat'], {
      input: 'a:1\nb:2\nc:3\n',
    });

    const received: string[] = [];
    const consumer = clients.consumer(randomName('group'));
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) =>
        void received.push(`${message.key}:${message.value}:${message.headers?.from}`),
    });
    await waitUntil(() => received.length >= 3, 15_000, 'three messages');

    expect(received).toEqual(['a:1:kcat', 'b:2:kcat', 'c:3:kcat']);
  });

  it('splits a topic between two -G members and commits what they consumed', async () => {
    const topic = randomName('kcat-group');
    const groupId = randomName('kcat-group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
    const member = () =>
      startKcat([
        ...broker(),
        '-u', // unbuffered: each line as it is consumed
        '-G',
        groupId,
        '-o',
        'beginning',
        '-f',
        '%p %s\\n',
        '-X',
        'session.timeout.ms=6000',
        '-X',
        'auto.commit.interval.ms=200',
        topic,
      ]);
    const [first, second] = [member(), member()];
    members.push(first, second);
    await waitUntil(
      () => {
        const a = lastAssignment(first.stderr(), topic) ?? [];
        const b = lastAssignment(second.stderr(), topic) ?? [];

        return a.length > 0 && b.length > 0 && [...a, ...b].sort().join() === '0,1,2,3';
      },
      30_000,
      'both members to share the four partitions',
    );
    const firstPartitions = lastAssignment(first.stderr(), topic)!;
    const secondPartitions = lastAssignment(second.stderr(), topic)!;

    await producer.send({
      topic,
      messages: Array.from({ length: 40 }, (_, i) => ({ partition: i % 4, value: `m${i}` })),
    });
    const seen = (runner: RunningKcat) => runner.stdout().split('\n').filter(Boolean);
    await waitUntil(
      () => seen(first).length + seen(second).length >= 40,
      20_000,
      'the forty messages',
    );
    const partitionsSeen = (runner: RunningKcat) =>
      [...new Set(seen(runner).map((line) => Number(line.split(' ')[0])))].sort();
    expect(partitionsSeen(first)).toEqual(firstPartitions);
    expect(partitionsSeen(second)).toEqual(secondPartitions);
    expect(seen(first).length + seen(second).length).toBe(40);

    // The group's commits are what a kafkajs admin sees: every partition at its end.
    await waitUntil(
      async () => {
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });

        return committed.partitions.every((p) => p.offset === '10');
      },
      15_000,
      'the commits of both members',
    );
    await Promise.all([first.stop(), second.stop()]);
    const { groups } = await admin.describeGroups([groupId]);
    expect(groups[0].state).toBe('Empty');
  });

  it('starts from a point in time (-o s@<ms>)', async () => {
    const topic = randomName('kcat-time');
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }] });
    const base = Date.now() - 60_000;
    await producer.send({
      topic,
      messages: [0, 1, 2, 3, 4].map((n) => ({ value: `t${n}`, timestamp: `${base + n * 1000}` })),
    });

    const fromMiddle = await consumeAll(topic, ['-o', `s@${base + 2000}`]);
    const between = await consumeAll(topic, ['-o', `s@${base + 2500}`]);
    const beforeAll = await consumeAll(topic, ['-o', `s@${base - 5000}`]);

    expect(fromMiddle.map((m) => [m.offset, m.payload, m.ts])).toEqual([
      [2, 't2', base + 2000],
      [3, 't3', base + 3000],
      [4, 't4', base + 4000],
    ]);
    expect(between.map((m) => m.payload)).toEqual(['t3', 't4']);
    expect(beforeAll.map((m) => m.payload)).toEqual(['t0', 't1', 't2', 't3', 't4']);
  });
});
