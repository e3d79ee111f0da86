import { randomBytes, randomUUID } from 'node:crypto';

import { Pool, PoolClient } from 'pg';

import { EventEnvelope } from '@relate/contracts';
import { RelateError } from '@relate/errors';
import {
  createKafkaClient,
  EventPublisher,
  KafkaSettings,
  Projection,
  ProjectionRunner,
} from '@relate/messaging';
import { createTestDatabase, TestDatabase } from '@relate/testing';

import { createPool } from './postgres-pool';
import { ReadModels, ReadModelStatus } from './read-models.service';

/** Totals per stream; fails (retriably, so nothing is parked) on streams from `failFrom` on. */
class TotalsProjection implements Projection {
  readonly tables: string[];
  failFrom: string | undefined;

  constructor(
    readonly topics: string[],
    schema: string,
    readonly name = 'totals',
  ) {
    this.tables = [`${schema}.${name}`];
  }

  async migrate(client: PoolClient): Promise<void> {
    await client.query(`CREATE TABLE IF NOT EXISTS ${this.tables[0]} (
      stream_id text PRIMARY KEY, version integer NOT NULL, total integer NOT NULL)`);
  }

  async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    if (this.failFrom !== undefined && event.streamId >= this.failFrom) {
      throw new RelateError('SPEC.DOWN', 'internal', 'Simulated outage', { retriable: true });
    }
    await client.query(
      `INSERT INTO ${this.tables[0]} AS t VALUES ($1, $2, $3)
       ON CONFLICT (stream_id) DO UPDATE
       SET version = EXCLUDED.version, total = t.total + EXCLUDED.total`,
      [event.streamId, event.streamVersion, (event.data as { n: number }).n],
    );
  }
}

function testKafka(): KafkaSettings {
  const brokers = process.env.RELATE_TEST_KAFKA_BROKERS;
  if (!brokers) {
    throw new Error('RELATE_TEST_KAFKA_BROKERS is not set: run the tests through jest');
  }

  return {
    brokers: brokers.split(','),
    clientId: `rebuild-spec-${randomBytes(3).toString('hex')}`,
  };
}

function event(streamId: string, streamVersion: number, n: number): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'Counted',
    schemaVersion: 1,
    streamId,
    streamVersion,
    tenantId: 'tenant-a',
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    actor: { type: 'system', id: 'spec' },
    correlationId: 'corr',
    causationId: null,
    traceparent: null,
    data: { n },
  };
}

describe(`${ReadModels.name} rebuild`, () => {
  const kafka = testKafka();
  let database: TestDatabase;
  let pool: Pool;
  let publisher: EventPublisher;
  const started: ReadModels[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('read_models_rebuild');
    pool = createPool('rebuild-spec', { connectionString: database.url, max: 10 });
    publisher = new EventPublisher(kafka);
    await publisher.connect();
  });

  afterEach(async () => {
    await Promise.all(started.splice(0).map((readModels) => readModels.stop()));
  });

  afterAll(async () => {
    await publisher.disconnect();
    await pool.end();
    await database.drop();
  });

  async function setUp() {
    const run = randomBytes(4).toString('hex');
    const schema = `rebuild_${run}`;
    const topic = `spec.rebuild.${run}`;
    const events = Array.from({ length: 20 }, (_, index) =>
      event(`s${String(index).padStart(2, '0')}`, 1, index + 1),
    );
    await publisher.publish(topic, events);
    const projection = () => new TotalsProjection([topic], schema);
    const readModelsOf = async (totals: TotalsProjection, reactors: Projection[] = []) => {
      const options = {
        schema,
        topics: { contacts: topic, pipeline: topic, activities: topic, automation: topic },
        groupPrefix: `spec-${run}`,
        rebuildCheckMs: 100,
      };
      const readModels = new ReadModels(pool, kafka, [totals], options, reactors);
      started.push(readModels);
      await readModels.start();

      return readModels;
    };

    const publish = (more: EventEnvelope[]) => publisher.publish(topic, more);

    return { schema, topic, projection, readModelsOf, publish };
  }

  async function statusOf(readModels: ReadModels): Promise<ReadModelStatus> {
    return (await readModels.status())[0];
  }

  async function checksum(schema: string): Promise<{ sum: string; count: number }> {
    const { rows } = await pool.query(
      `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY stream_id), '')) AS sum,
         count(*)::int AS count FROM ${schema}.totals t`,
    );

    return rows[0];
  }

  it('finishes a rebuild a crash interrupted, marking it live only when whole', async () => {
    const { schema, projection, readModelsOf } = await setUp();
    const first = projection();
    const before = await readModelsOf(first);
    await waitUntil(async () => (await statusOf(before)).appliedEvents === 20);
    const live = await checksum(schema);

    first.failFrom = 's10';
    const { rebuildId } = await before.rebuild();
    await waitUntil(async () => (await checksum(schema)).count > 0);
    // The crash: the instance goes away with the read model half rebuilt.
    await before.stop();

    const half = await checksum(schema);
    expect(half.count).toBeLessThan(20);
    const { rows } = await pool.query(
      `SELECT g.generation, g.status,
         (SELECT sum(version)::int FROM ${schema}.projection_stream_versions
          WHERE projection = 'totals') AS applied
       FROM ${schema}.projection_generations g`,
    );
    expect(rows).toEqual([{ generation: 1, status: 'rebuilding', applied: half.count }]);
    const after = await readModelsOf(projection());
    await waitUntil(async () => (await statusOf(after)).status === 'live');
    expect(await checksum(schema)).toEqual(live);
    expect(await statusOf(after)).toMatchObject({
      generation: 1,
      appliedEvents: 20,
      rebuild: { id: rebuildId, finishedAt: expect.any(String) },
    });
    const admin = createKafkaClient(kafka).admin();
    await admin.connect();
    const { groups } = await admin.listGroups();
    await admin.disconnect();
    const groupIds = groups.map(({ groupId }) => groupId);
    const group = (await statusOf(after)).group;
    expect(group.endsWith('.totals.g1')).toBe(true);
    expect(groupIds).toContain(group);
    expect(groupIds).not.toContain(group.replace(/\.g1$/, ''));
  });

  it('pauses the reactors while a read model rebuilds, and resumes them after', async () => {
    const { schema, topic, projection, readModelsOf, publish } = await setUp();
    const totals = projection();
    const reactor = new TotalsProjection([topic], schema, 'reacted');
    const readModels = await readModelsOf(totals, [reactor]);
    const statusOfAll = async () =>
      Object.fromEntries((await readModels.status()).map((status) => [status.name, status]));
    await waitUntil(async () => (await statusOfAll()).reacted?.appliedEvents === 20);

    totals.failFrom = 's10';
    await readModels.rebuild();
    const during = await statusOfAll();
    const flagged = readModels.isRebuilding();
    await publish([event('s20', 1, 21)]);
    totals.failFrom = undefined;
    await waitUntil(async () => {
      const { totals: rebuilt, reacted } = await statusOfAll();

      return rebuilt.status === 'live' && reacted.running && reacted.appliedEvents === 21;
    });

    expect(during.totals.status).toBe('rebuilding');
    expect(flagged).toBe(true);
    expect(readModels.isRebuilding('totals')).toBe(false);
    expect(during.reacted).toMatchObject({ kind: 'reactor', paused: true, running: false });
    expect((await statusOfAll()).reacted).toMatchObject({ paused: false, generation: 0 });
  });

  it('fences off a runner of an older generation: it applies nothing after a rebuild', async () => {
    const { schema, projection, readModelsOf } = await setUp();
    const readModels = await readModelsOf(projection());
    await waitUntil(async () => (await statusOf(readModels)).appliedEvents === 20);
    await readModels.rebuild();
    await waitUntil(async () => (await statusOf(readModels)).status === 'live');
    const rebuilt = await checksum(schema);

    const stale = new ProjectionRunner(pool, kafka, projection(), {
      schema,
      groupId: `stale-${randomBytes(4).toString('hex')}`,
      generation: 0,
    });
    await stale.start();
    await waitUntil(async () => !stale.isRunning);
    await stale.stop();

    expect(await checksum(schema)).toEqual(rebuilt);
    expect(rebuilt.count).toBe(20);
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
