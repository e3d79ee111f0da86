import { randomBytes } from 'node:crypto';

import { Pool } from 'pg';

import { EventEnvelope, EventHeaders } from '@relate/contracts';
import { EventPublisher, KafkaSettings, readTopic } from '@relate/messaging';
import { TestDatabase, createTestDatabase } from '@relate/testing';

import { OutboxRelay } from './outbox-relay';
import { PostgresEventStore } from './postgres-event-store';
import { installCommitDelayTrigger } from './testing/commit-delay-trigger';
import {
  committedEvents,
  publishedProblems,
  runConcurrentWriters,
} from './testing/concurrent-writers';

const SCHEMA = 'relay_kafka';

function kafkaSettings(): KafkaSettings {
  const brokers = process.env.RELATE_TEST_KAFKA_BROKERS;
  if (!brokers) {
    throw new Error('RELATE_TEST_KAFKA_BROKERS is not set: run the tests through jest');
  }

  return { brokers: brokers.split(','), clientId: 'outbox-relay-kafka-spec' };
}

describe(`${OutboxRelay.name} with Kafka`, () => {
  const settings = kafkaSettings();
  let database: TestDatabase;
  let pool: Pool;
  let publisher: EventPublisher;

  beforeAll(async () => {
    database = await createTestDatabase('relay_kafka');
    pool = new Pool({ connectionString: database.url, max: 40 });
    publisher = new EventPublisher(settings);
    await publisher.connect();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await pool.end();
    await database.drop();
  });

  it('delivers to the topic exactly what many concurrent writers committed, in order', async () => {
    const topic = `spec.relay.${randomBytes(4).toString('hex')}`;
    const store = new PostgresEventStore(pool, { schema: SCHEMA });
    await store.migrate();
    await installCommitDelayTrigger(pool, SCHEMA);
    const relay = new OutboxRelay(pool, {
      schema: SCHEMA,
      topic,
      publisher,
      batchSize: 25,
      pollIntervalMs: 200,
    });
    await relay.start();

    let outcome;
    try {
      outcome = await runConcurrentWriters(
        store,
        {
          writers: 20,
          appendsPerWriter: 15,
          streams: 10,
          delayedShare: 0.25,
          maxDelayMs: 400,
          rolledBackShare: 0.1,
        },
        'tenant-a',
      );
    } finally {
      // stop() publishes nothing new, so wait for the relay to drain before stopping it.
      await waitForCheckpointAtEnd(pool);
      await relay.stop();
    }
    const committed = await committedEvents(pool, SCHEMA);
    const records = await readTopic(settings, topic, committed.length, 30_000);
    const delivered = records.map((record) => JSON.parse(record.value as string) as EventEnvelope);

    expect(outcome.rolledBack).toBeGreaterThan(0);
    expect(outcome.conflicts).toBeGreaterThan(0);
    expect(committed).toHaveLength(outcome.committed);
    expect(publishedProblems(delivered, committed)).toEqual([]);
    expect(records.every((record, i) => record.key === delivered[i].streamId)).toBe(true);
    expect(records[0].headers).toMatchObject({
      [EventHeaders.type]: 'LoadNoted',
      [EventHeaders.tenant]: 'tenant-a',
    });
  });
});

/** Waits until the relay's checkpoint names the last event in (transaction, position) order. */
async function waitForCheckpointAtEnd(pool: Pool, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { rows } = await pool.query(
      `SELECT (SELECT (transaction_id::text, position)::text FROM ${SCHEMA}.relay_checkpoints)
          = (SELECT (transaction_id::text, position)::text FROM ${SCHEMA}.events
             ORDER BY transaction_id DESC, position DESC LIMIT 1) AS done`,
    );
    if (rows[0].done) {
      return;
    }
    if (Date.now() > deadline) {
      throw new Error('the relay did not catch up in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
