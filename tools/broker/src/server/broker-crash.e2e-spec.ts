import { appendFile, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners, Producer } from 'kafkajs';

import { encodeRecordBatch } from '../protocol/record-batch';
import { randomName, waitUntil } from '../testing/broker-fixture';
import { BrokerProcess, spawnBroker } from '../testing/broker-process';

const SENDERS = 4;
const PARTITIONS = 3;
const ACKED_BETWEEN_KILLS = 200;
const KILLS = 2;

function kafkaFor(address: string): Kafka {
  return new Kafka({
    clientId: randomName('storm'),
    brokers: [address],
    logLevel: logLevel.NOTHING,
    // Long enough to ride out a restart: a send that gives up is counted as unacknowledged.
    retry: { retries: 30, initialRetryTime: 50, maxRetryTime: 500 },
  });
}

/** Reads the whole topic from the start with a fresh group; counts each id. */
async function readEverything(
  address: string,
  topic: string,
  groupId = randomName('reader'),
): Promise<Map<string, number>> {
  const kafka = kafkaFor(address);
  const admin = kafka.admin();
  await admin.connect();
  const offsets = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const total = offsets.reduce((sum, o) => sum + Number(o.high), 0);
  const counts = new Map<string, number>();
  let read = 0;
  const consumer = kafka.consumer({
    groupId,
    maxWaitTimeInMs: 200,
    heartbeatInterval: 200,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const id = String(message.key);
        counts.set(id, (counts.get(id) ?? 0) + 1);
        read++;
      },
    });
    await waitUntil(() => read >= total, 30_000, `all ${total} records`);
  } finally {
    await consumer.disconnect();
  }

  return counts;
}

describe('the broker process under kill -9', () => {
  let dataDir: string;
  let broker: BrokerProcess | null = null;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'relate-broker-crash-'));
  });

  afterAll(async () => {
    await broker?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged record of a produce storm, then cuts a torn tail', async () => {
    broker = await spawnBroker(dataDir, 0);
    const port = broker.port;
    const address = broker.address;
    const topic = randomName('storm');
    const admin = kafkaFor(address).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }] });
    await admin.disconnect();

    const acknowledged = new Set<string>();
    const attempted = new Set<string>();
    let storming = true;
    const sender = async (index: number): Promise<void> => {
      const newProducer = () =>
        kafkaFor(address).producer({
          idempotent: true,
          maxInFlightRequests: 1,
          createPartitioner: Partitioners.DefaultPartitioner,
        });
      let producer: Producer = newProducer();
      await producer.connect();
      for (let seq = 0; storming && seq < 100_000; seq++) {
        const ids = [0, 1, 2].map((n) => `s${index}-${seq}-${n}`);
        ids.forEach((id) => attempted.add(id));
        try {
          await producer.send({
            topic,
            acks: -1,
            messages: ids.map((id) => ({ key: id, value: id })),
          });
          ids.forEach((id) => acknowledged.add(id));
        } catch {
          // Given up: its ids stay unacknowledged. A new producer id keeps sequences honest.
          await producer.disconnect().catch(() => undefined);
          producer = newProducer();
          await producer.connect().catch(() => undefined);
        }
      }
      await producer.disconnect().catch(() => undefined);
    };
    const storm = Promise.all(Array.from({ length: SENDERS }, (_, i) => sender(i)));

    const ackedAtKills: number[] = [];
    const restartsMs: number[] = [];
    for (let kill = 0; kill < KILLS; kill++) {
      const target = acknowledged.size + ACKED_BETWEEN_KILLS;
      await waitUntil(() => acknowledged.size >= target, 30_000, 'acknowledged sends');
      await broker.kill9();
      ackedAtKills.push(acknowledged.size);
      const restartedAt = Date.now();
      broker = await spawnBroker(dataDir, port);
      restartsMs.push(Date.now() - restartedAt);
    }
    const afterLast = acknowledged.size + ACKED_BETWEEN_KILLS;
    await waitUntil(() => acknowledged.size >= afterLast, 30_000, 'sends after the restarts');
    storming = false;
    await storm;

    const readerGroup = randomName('reader');
    const counts = await readEverything(address, topic, readerGroup);
    const lost = [...acknowledged].filter((id) => !counts.has(id));
    const twice = [...counts.entries()].filter(([, count]) => count > 1);
    const unknown = [...counts.keys()].filter((id) => !attempted.has(id));
    console.log(
      [
        'broker kill -9 during a produce storm:',
        `kills=${KILLS} acknowledged=${acknowledged.size}`,
        `(at the kills: ${ackedAtKills.join(', ')})`,
        `unacknowledged=${attempted.size - acknowledged.size}`,
        `found=${counts.size} lost=${lost.length} twice=${twice.length}`,
        `restart=${restartsMs.join(', ')} ms (spawn to listening)`,
      ].join(' '),
    );
    expect(lost).toEqual([]);
    expect(twice).toEqual([]);
    expect(unknown).toEqual([]);

    // A crash in the middle of a write leaves the first bytes of a batch at a segment's end.
    await broker.kill9();
    const partitionDir = join(dataDir, 'topics', topic, '0');
    const segments = (await readdir(partitionDir)).filter((n) => n.endsWith('.log')).sort();
    const segment = join(partitionDir, segments.at(-1)!);
    const intactBytes = (await stat(segment)).size;
    const torn = encodeRecordBatch([{ value: Buffer.from('torn') }]).subarray(0, 40);
    await appendFile(segment, torn);
    broker = await spawnBroker(dataDir, port);

    const cut = broker.logLines().find((line) => line.message.msg === 'log tail truncated');
    expect(cut?.level).toBe('warn');
    expect(cut?.message).toMatchObject({
      topic,
      partition: 0,
      keptBytes: intactBytes,
      droppedBytes: torn.length,
    });
    expect((await stat(segment)).size).toBe(intactBytes);
    // The reader's commits were made before the kill: they are still there after it.
    const checkAdmin = kafkaFor(address).admin();
    await checkAdmin.connect();
    const [committed] = await checkAdmin.fetchOffsets({ groupId: readerGroup, topics: [topic] });
    const highs = await checkAdmin.fetchTopicOffsets(topic);
    await checkAdmin.disconnect();
    expect(committed.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(
      highs.map((h) => [h.partition, h.high]).sort(),
    );
    const afterTear = await readEverything(address, topic);
    expect([...acknowledged].filter((id) => afterTear.get(id) !== 1)).toEqual([]);
    const kafka = kafkaFor(address);
    const admin2 = kafka.admin();
    await admin2.connect();
    const before = await admin2.fetchTopicOffsets(topic);
    await admin2.disconnect();
    const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    const [appended] = await producer.send({
      topic,
      acks: -1,
      messages: [{ key: 'after-tear', value: 'after-tear', partition: 0 }],
    });
    await producer.disconnect();
    expect(appended.baseOffset).toBe(before.find((o) => o.partition === 0)!.high);
    expect((await readEverything(address, topic)).get('after-tear')).toBe(1);
  }, 120_000);
});
