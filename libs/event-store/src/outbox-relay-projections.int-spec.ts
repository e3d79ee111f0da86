import { randomBytes } from 'node:crypto';

import { Pool, PoolClient } from 'pg';

import { CommandContext, EventEnvelope } from '@relate/contracts';
import { EventPublisher, KafkaSettings, Projection, ProjectionRunner } from '@relate/messaging';
import { TestDatabase, createTestDatabase } from '@relate/testing';

import { OutboxRelay } from './outbox-relay';
import { PostgresEventStore } from './postgres-event-store';

const SCHEMA = 'relay_projections';
const STREAMS = 48;
const VERSIONS = 4;
const PRELOADED_STREAMS = 60;

function kafkaSettings(): KafkaSettings {
  const brokers = process.env.RELATE_TEST_KAFKA_BROKERS;
  if (!brokers) {
    throw new Error('RELATE_TEST_KAFKA_BROKERS is not set: run the tests through jest');
  }

  return { brokers: brokers.split(','), clientId: 'outbox-relay-projections-spec' };
}

/** Test support: remembers every (stream, version) it applies, and how often. */
class RecordingProjection implements Projection {
  constructor(
    readonly name: string,
    readonly topics: string[],
  ) {}

  async migrate(client: PoolClient): Promise<void> {
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA}.applied (
      projection text NOT NULL,
      stream_id text NOT NULL,
      version integer NOT NULL,
      times integer NOT NULL,
      PRIMARY KEY (projection, stream_id, version)
    )`);
  }

  async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    await client.query(
      `INSERT INTO ${SCHEMA}.applied (projection, stream_id, version, times)
       VALUES ($1, $2, $3, 1)
       ON CONFLICT (projection, stream_id, version) DO UPDATE SET times = applied.times + 1`,
      [this.name, event.streamId, event.streamVersion],
    );
  }
}

describe(`${OutboxRelay.name} feeding ${ProjectionRunner.name}s`, () => {
  const settings = kafkaSettings();
  const context: CommandContext = {
    tenantId: 'tenant-a',
    actor: { type: 'system', id: 'spec' },
    correlationId: 'spec',
  };
  let database: TestDatabase;
  let pool: Pool;
  let publisher: EventPublisher;
  const stoppable: Array<{ stop(): Promise<void> }> = [];

  beforeAll(async () => {
    database = await createTestDatabase('relay_projections');
    pool = new Pool({ connectionString: database.url, max: 40 });
    publisher = new EventPublisher(settings);
    await publisher.connect();
  });

  afterAll(async () => {
    for (const item of stoppable.reverse()) {
      await item.stop();
    }
    await publisher.disconnect();
    await pool.end();
    await database.drop();
  });

  it('gives each read model every stream version once, however its group starts', async () => {
    const topic = `spec.relay-projections.${randomBytes(4).toString('hex')}`;
    const store = new PostgresEventStore(pool, { schema: SCHEMA });
    const relay = new OutboxRelay(pool, { schema: SCHEMA, topic, publisher, batchSize: 40 });
    const runner = (name: string, groupSuffix = name) => {
      const started = new ProjectionRunner(pool, settings, new RecordingProjection(name, [topic]), {
        schema: SCHEMA,
        fromBeginning: true,
        groupId: `spec.relay-projections.${topic}.${groupSuffix}`,
        transactionBatchSize: 7,
      });
      stoppable.push(started);

      return started;
    };
    const append = (streamId: string, expectedVersion: number, count = 1) =>
      store.append(
        streamId,
        'deal',
        Array.from({ length: count }, (_, n) => ({ type: 'DealNoted', data: { n } })),
        { expectedVersion, context },
      );
    // Runners started at once, and before any event: their consumers create the topic.
    const early = runner('early');
    const shared = [runner('shared', 'shared-group'), runner('shared', 'shared-group')];
    await Promise.all([store.migrate(), early.start(), shared[0].start()]);
    for (let i = 0; i < PRELOADED_STREAMS; i += 20) {
      await Promise.all(
        Array.from({ length: 20 }, (_, j) => append(`preloaded-${i + j}`, 0, 1 + ((i + j) % 3))),
      );
    }
    stoppable.push(relay);
    await relay.start();

    // Writers append while more groups start, and a second member joins and leaves a group.
    const late = [runner('late-1'), runner('late-2')];
    let next = 0;
    let appended = 0;
    const writer = async () => {
      for (let stream = next++; stream < STREAMS; stream = next++) {
        for (let version = 0; version < VERSIONS; version++) {
          await append(`deal-${stream}`, version);
          appended += 1;
        }
      }
    };
    const startsWhileWriting = (async () => {
      await until(() => appended >= STREAMS);
      await Promise.all([late[0].start(), shared[1].start()]);
      await until(() => appended >= 2 * STREAMS);
      await late[1].start();
      await shared[1].stop();
    })();
    await Promise.all([...Array.from({ length: 8 }, writer), startsWhileWriting]);

    const expected = await committedVersions(pool);
    const names = ['early', 'shared', 'late-1', 'late-2'];
    await until(async () => (await appliedCounts(pool, names)).every((n) => n === expected.length));
    const { rows: repeated } = await pool.query(
      `SELECT projection, stream_id, version, times FROM ${SCHEMA}.applied WHERE times > 1`,
    );

    expect(expected).toHaveLength(STREAMS * VERSIONS + 2 * PRELOADED_STREAMS);
    expect(await appliedCounts(pool, names)).toEqual(names.map(() => expected.length));
    expect(repeated).toEqual([]);
    expect([early, ...shared, ...late].map((r) => r.stats.gaps)).toEqual([0, 0, 0, 0, 0]);
  }, 60_000);
});

async function committedVersions(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ key: string }>(
    `SELECT stream_id || '@' || stream_version AS key FROM ${SCHEMA}.events`,
  );

  return rows.map((row) => row.key);
}

async function appliedCounts(pool: Pool, projections: string[]): Promise<number[]> {
  const { rows } = await pool.query<{ projection: string; n: number }>(
    `SELECT projection, count(*)::int AS n FROM ${SCHEMA}.applied GROUP BY projection`,
  );

  return projections.map((name) => rows.find((row) => row.projection === name)?.n ?? 0);
}

async function until(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
