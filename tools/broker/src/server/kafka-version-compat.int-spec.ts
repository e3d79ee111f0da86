import { CompressionTypes, Partitioners } from 'kafkajs';

import { kafkaApiVersions, servedByKafka39And40 } from '../protocol/kafka-version-ranges';
import {
  BrokerFixture,
  randomName,
  startBrokerFixture,
  waitUntil,
} from '../testing/broker-fixture';
import { describeWithKcat, kcat, lastAssignment, startKcat } from '../testing/kcat';
import { ServedVersion } from './served-versions';

/** The negotiated versions as a table, with the Kafka 3.9 and 4.0 ranges beside them. */
function versionTable(client: string, served: ServedVersion[]): string {
  const rows = served.map(({ apiKey, version, count }) => {
    const kafka = kafkaApiVersions(apiKey);
    const range = (r?: { min: number; max: number }) => (r ? `${r.min}-${r.max}` : '?');

    return [
      `${kafka?.name ?? apiKey}`.padEnd(16),
      `v${version}`.padEnd(4),
      `${count}`.padStart(5),
      range(kafka?.kafka39).padStart(7),
      range(kafka?.kafka40).padStart(7),
    ].join('  ');
  });

  return [
    `${client}: API              version  count  3.9     4.0`,
    ...rows.map((row) => `  ${row}`),
  ].join('\n');
}

function expectServedByKafka39And40(served: ServedVersion[]): void {
  const outside = served.filter(({ apiKey, version }) => !servedByKafka39And40(apiKey, version));

  expect(outside).toEqual([]);
}

describe('versions kafkajs negotiates, against Kafka 3.9 and 4.0', () => {
  let fixture: BrokerFixture;

  beforeAll(async () => {
    fixture = await startBrokerFixture();
  });

  afterAll(async () => {
    await fixture.stop();
  });

  it('uses only versions both Kafka 3.9 and 4.0 serve, in every flow of the services', async () => {
    const kafka = fixture.kafka();
    const admin = kafka.admin();
    const producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    const groupId = randomName('group');
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, heartbeatInterval: 200 });
    const topic = randomName('versions');
    try {
      await Promise.all([admin.connect(), producer.connect(), consumer.connect()]);
      await admin.createTopics({ topics: [{ topic, numPartitions: 2 }] });
      await producer.send({
        topic,
        compression: CompressionTypes.GZIP,
        messages: [1, 2, 3, 4].map((n) => ({ key: `k${n}`, value: `v${n}` })),
      });
      const seen: string[] = [];
      let heartbeats = 0;
      consumer.on(consumer.events.HEARTBEAT, () => heartbeats++);
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ message }) => void seen.push(`${message.value}`),
      });
      await waitUntil(() => seen.length === 4, 15_000, 'four messages');
      await waitUntil(() => heartbeats > 0, 10_000, 'a heartbeat');
      await waitUntil(
        async () => {
          const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });

          return committed.partitions.reduce((sum, p) => sum + Number(p.offset), 0) === 4;
        },
        10_000,
        'the commits',
      );
      await admin.fetchTopicOffsetsByTimestamp(topic, Date.now() - 60_000);
      await admin.fetchTopicOffsets(topic);
      await admin.describeGroups([groupId]);
      await admin.listGroups();
      await consumer.disconnect();
      await admin.deleteGroups([groupId]);
      await admin.deleteTopics({ topics: [topic] });
    } finally {
      await Promise.all([consumer.disconnect(), producer.disconnect(), admin.disconnect()]);
    }

    const served = fixture.broker.servedVersions();
    console.log(versionTable('kafkajs', served));
    expectServedByKafka39And40(served);
    const used = new Set(served.map((s) => kafkaApiVersions(s.apiKey)?.name));
    for (const api of [
      'Produce',
      'Fetch',
      'JoinGroup',
      'Heartbeat',
      'OffsetCommit',
      'InitProducerId',
    ]) {
      expect(used).toContain(api);
    }
  });
});

describeWithKcat('versions kcat (librdkafka) negotiates, against Kafka 3.9 and 4.0', () => {
  let fixture: BrokerFixture;

  beforeAll(async () => {
    fixture = await startBrokerFixture();
  });

  afterAll(async () => {
    await fixture.stop();
  });

  it('uses only versions both Kafka 3.9 and 4.0 serve: -L, -P, -C, -G and -o s@', async () => {
    const broker = ['-b', fixture.broker.address];
    const topic = randomName('kcat-versions');
    const groupId = randomName('kcat-group');
    await kcat([...broker, '-L']);
    await kcat(
      [...broker, '-P', '-t', topic, '-K:', '-z', 'gzip', '-X', 'enable.idempotence=true'],
      {
        input: 'a:1\nb:2\n',
      },
    );
    await kcat([...broker, '-C', '-t', topic, '-e']);
    await kcat([...broker, '-C', '-t', topic, '-e', '-o', `s@${Date.now() - 60_000}`]);
    const member = startKcat([...broker, '-u', '-G', groupId, '-o', 'beginning', topic]);
    try {
      await waitUntil(
        () => (lastAssignment(member.stderr(), topic) ?? []).length > 0,
        20_000,
        'the member to be assigned',
      );
      await waitUntil(() => member.stdout().split('\n').length > 2, 10_000, 'both messages');
    } finally {
      await member.stop();
    }

    const served = fixture.broker.servedVersions();
    console.log(versionTable('kcat', served));
    expectServedByKafka39And40(served);
    const used = new Set(served.map((s) => kafkaApiVersions(s.apiKey)?.name));
    const expected = [
      'Produce',
      'Fetch',
      'ListOffsets',
      'JoinGroup',
      'OffsetCommit',
      'InitProducerId',
    ];
    for (const api of expected) {
      expect(used).toContain(api);
    }
  });
});
