import { Logger } from '@nestjs/common';
import { Pool } from 'pg';

import { CommandContext, EventEnvelope } from '@relate/contracts';
import { OwnPostgres, TestDatabase, createTestDatabase, startOwnPostgres } from '@relate/testing';

import { OutboxPublisher, OutboxRelay } from './outbox-relay';
import { PostgresEventStore } from './postgres-event-store';
import { installCommitDelayTrigger } from './testing/commit-delay-trigger';
import {
  committedEvents,
  publishedProblems,
  runConcurrentWriters,
} from './testing/concurrent-writers';

const TOPIC = 'test.events';
const context: CommandContext = {
  tenantId: 'tenant-a',
  actor: { type: 'user', id: 'user-1' },
  correlationId: 'corr-1',
};

/** Records what it was asked to publish; can be told to fail or to hold a send. */
class MemoryPublisher implements OutboxPublisher {
  readonly batches: EventEnvelope[][] = [];
  started = 0;
  failNext = false;
  hold: Promise<void> | null = null;

  get events(): EventEnvelope[] {
    return this.batches.flat();
  }

  async publish(topic: string, events: EventEnvelope[]): Promise<void> {
    expect(topic).toBe(TOPIC);
    this.started += 1;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('broker unavailable');
    }
    await this.hold;
    this.batches.push(events);
  }
}

describe(OutboxRelay.name, () => {
  let database: TestDatabase;
  let pool: Pool;
  let schemaCounter = 0;
  const relays: OutboxRelay[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('outbox_relay');
    pool = new Pool({ connectionString: database.url, max: 40 });
  });

  afterEach(async () => {
    await Promise.all(relays.splice(0).map((relay) => relay.stop()));
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  async function setUp(
    options: Partial<ConstructorParameters<typeof OutboxRelay>[1]> = {},
    on: Pool = pool,
  ) {
    schemaCounter += 1;
    const schema = `relay_${schemaCounter}`;
    const store = new PostgresEventStore(on, { schema });
    await store.migrate();
    await installCommitDelayTrigger(on, schema);
    const publisher = new MemoryPublisher();
    const relay = new OutboxRelay(on, { schema, topic: TOPIC, publisher, ...options });
    relays.push(relay);

    return { schema, store, publisher, relay };
  }

  function note(n: number, extra: Record<string, unknown> = {}) {
    return { type: 'NoteAdded', data: { n, ...extra } };
  }

  it('publishes in batches, checkpoints, and resumes from the checkpoint', async () => {
    const { schema, store, publisher, relay } = await setUp({ batchSize: 3 });
    await store.append(
      's-1',
      'note',
      [1, 2, 3, 4].map((n) => note(n)),
      {
        expectedVersion: 0,
        context,
      },
    );
    await store.append('s-2', 'note', [note(5)], { expectedVersion: 0, context });
    await untilVisible(store, 5);

    const published = await relay.publishPending();
    const again = await relay.publishPending();
    await store.append('s-2', 'note', [note(6)], { expectedVersion: 1, context });
    await untilVisible(store, 6);
    const successor = new OutboxRelay(pool, { schema, topic: TOPIC, publisher });
    const resumed = await successor.publishPending();

    expect([published, again, resumed]).toEqual([5, 0, 1]);
    expect(publisher.batches.map((batch) => batch.length)).toEqual([3, 2, 1]);
    expect(publisher.events.map((e) => e.data)).toEqual([1, 2, 3, 4, 5, 6].map((n) => ({ n })));
    expect(publisher.events[0]).not.toHaveProperty('position');
  });

  it('keeps commits durable after a checkpoint that did not wait for the disk', async () => {
    const single = new Pool({ connectionString: database.url, max: 1 });
    try {
      const schema = `relay_single_${++schemaCounter}`;
      const store = new PostgresEventStore(single, { schema });
      await store.migrate();
      await store.append('s-1', 'note', [note(1)], { expectedVersion: 0, context });
      await untilVisible(store, 1);
      // The test server commits asynchronously; a service's commits wait for the disk.
      await single.query('SET synchronous_commit = on');
      const relay = new OutboxRelay(single, {
        schema,
        topic: TOPIC,
        publisher: new MemoryPublisher(),
      });

      let published = 0;
      await waitFor(async () => (published += await relay.publishPending()) === 1);
      const { rows } = await single.query<{ setting: string }>(
        "SELECT current_setting('synchronous_commit') AS setting",
      );
      expect(rows[0].setting).toBe('on');
    } finally {
      await single.end();
    }
  });

  it('never skips an event that commits late with a lower position', async () => {
    const { store, publisher, relay } = await setUp();
    const slow = store.append('slow', 'note', [note(1, { delayMs: 1200 })], {
      expectedVersion: 0,
      context,
    });
    await waitFor(async () => (await sleepingBackends(pool)) > 0);
    await store.append('fast', 'note', [note(2)], { expectedVersion: 0, context });

    const whileOpen = await relay.publishPending();
    const slowResult = await slow;
    await untilVisible(store, 2);
    await relay.publishPending();

    expect(whileOpen).toBe(0);
    expect(publisher.events.map((e) => e.streamId)).toEqual(['slow', 'fast']);
    expect(publisher.events[0].id).toBeDefined();
    expect(slowResult.streamVersion).toBe(1);
  });

  it('publishes a failed batch again (at least once)', async () => {
    const { store, publisher, relay } = await setUp();
    await store.append('s-1', 'note', [note(1), note(2)], { expectedVersion: 0, context });
    await untilVisible(store, 2);
    publisher.failNext = true;

    await expect(relay.publishPending()).rejects.toThrow('broker unavailable');
    const published = await relay.publishPending();

    expect(published).toBe(2);
    expect(publisher.events.map((e) => e.streamVersion)).toEqual([1, 2]);
  });

  it('backs off after a failed publish instead of retrying on every append', async () => {
    const { store, publisher, relay } = await setUp({ pollIntervalMs: 200 });
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(publisher, 'publish').mockRejectedValue(new Error('broker unavailable'));
    await store.append('s-0', 'note', [note(0)], { expectedVersion: 0, context });
    await untilVisible(store, 1);
    await relay.start();
    await waitFor(async () => publishAttempts() > 0);

    for (let version = 1; version <= 30; version++) {
      await store.append('s-0', 'note', [note(version)], { expectedVersion: version, context });
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    // 30 appends over about a second, with backoff 400 ms, 800 ms, ...: a handful of tries.
    expect(publishAttempts()).toBeLessThanOrEqual(4);

    function publishAttempts(): number {
      return (publisher.publish as jest.Mock).mock.calls.length;
    }
  });

  it('wakes on an append without waiting for its poll interval', async () => {
    const { store, publisher, relay } = await setUp({ pollIntervalMs: 60_000 });
    await relay.start();
    await waitFor(async () => (await listeners(pool)) > 0);

    const appendedAt = Date.now();
    await store.append('s-1', 'note', [note(1)], { expectedVersion: 0, context });
    await waitFor(async () => publisher.events.length === 1);

    // Far below the 60 s poll; not tighter, as other specs may hold the cluster's xmin briefly.
    expect(Date.now() - appendedAt).toBeLessThan(5000);
  });

  it('lets the batch in flight finish when stopped', async () => {
    const { schema, store, publisher, relay } = await setUp({ pollIntervalMs: 50 });
    let release: () => void = () => undefined;
    publisher.hold = new Promise((resolve) => (release = resolve));
    await store.append('s-1', 'note', [note(1)], { expectedVersion: 0, context });
    await relay.start();
    await waitFor(async () => publisher.started === 1);

    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const stoppedBeforeRelease = stopped;
    release();
    await stopping;

    expect(stoppedBeforeRelease).toBe(false);
    expect(publisher.events).toHaveLength(1);
    const { rows } = await pool.query(`SELECT position FROM ${schema}.relay_checkpoints`);
    expect(rows).toHaveLength(1);
  });

  it('publishes on stop what was committed while its last batch was in flight', async () => {
    const { store, publisher, relay } = await setUp({ pollIntervalMs: 60_000 });
    let release: () => void = () => undefined;
    publisher.hold = new Promise((resolve) => (release = resolve));
    await store.append('s-1', 'note', [note(1)], { expectedVersion: 0, context });
    await relay.start();
    await waitFor(async () => publisher.started === 1);

    await store.append('s-2', 'note', [note(2)], { expectedVersion: 0, context });
    const stopping = relay.stop();
    release();
    await stopping;

    expect(publisher.events.map((event) => event.data)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('lets only one relay of a name publish while both run', async () => {
    const { schema, store, publisher, relay } = await setUp({ pollIntervalMs: 50 });
    const standby = new OutboxRelay(pool, { schema, topic: TOPIC, publisher, pollIntervalMs: 50 });
    relays.push(standby);
    await relay.start();
    await waitFor(async () => (await listeners(pool)) > 0);
    await standby.start();

    for (let version = 0; version < 10; version++) {
      await store.append('s-1', 'note', [note(version)], { expectedVersion: version, context });
    }
    await waitFor(async () => publisher.events.length >= 10);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(publisher.events.map((e) => e.streamVersion)).toEqual(
      Array.from({ length: 10 }, (_, i) => i + 1),
    );
  });

  describe('held back by a long-open transaction', () => {
    // The relay names the oldest transaction of the whole cluster, and counts events as held
    // back behind it: on the shared server other specs' transactions would take turns with ours.
    let own: OwnPostgres;
    let cluster: Pool;

    beforeAll(async () => {
      own = await startOwnPostgres('relay-hold-back');
      cluster = new Pool({ connectionString: own.url, max: 10 });
    }, 60_000);

    afterAll(async () => {
      await cluster.end();
      await own.stop();
    });

    it('publishes on stop what another transaction held back for a moment', async () => {
      jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
      const { store, publisher, relay } = await setUp({ pollIntervalMs: 60_000 }, cluster);
      await relay.start();
      await waitFor(async () => (await listeners(cluster)) > 0);
      const holder = await cluster.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT pg_current_xact_id()');
        await store.append('s-1', 'note', [note(1)], { expectedVersion: 0, context });
        setTimeout(() => void holder.query('COMMIT'), 300);

        await relay.stop();
      } finally {
        holder.release();
      }

      expect(publisher.events.map((event) => event.data)).toEqual([{ n: 1 }]);
    });

    it('warns once about a long-open transaction that holds events back', async () => {
      const warn = jest.spyOn(Logger.prototype, 'warn');
      const info = jest.spyOn(Logger.prototype, 'log');
      const { store, publisher, relay } = await setUp(
        {
          pollIntervalMs: 30,
          holdBackWarningMs: 100,
          holdBackCheckIntervalMs: 0,
        },
        cluster,
      );
      const holder = await cluster.connect();
      try {
        await holder.query('BEGIN');
        const { rows } = await holder.query('SELECT pg_backend_pid() AS pid, pg_current_xact_id()');
        await store.append('s-1', 'note', [note(1)], { expectedVersion: 0, context });
        await relay.start();
        const aboutHolder = () => heldBackWarnings(warn).filter(([, f]) => f.pid === rows[0].pid);

        await waitFor(async () => aboutHolder().length > 0);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(aboutHolder()).toHaveLength(1);
        expect(aboutHolder()[0][1]).toMatchObject({ openForMs: expect.any(Number) });
        expect(publisher.events).toHaveLength(0);
      } finally {
        await holder.query('COMMIT');
        holder.release();
      }

      await waitFor(async () => publisher.events.length === 1);
      await waitFor(async () =>
        info.mock.calls.some(([m]) => m === 'outbox relay no longer held back'),
      );
    });

    it('reports a hold-back in metrics, warns while it lasts and when it ends', async () => {
      const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
      const capture = (level: string) => (message: string, fields: Record<string, unknown>) =>
        lines.push({ level, message, fields });
      const logger = { log: capture('log'), warn: capture('warn'), error: capture('error') };
      const gauges = { age: 0, waiting: -1, heldBack: -1, relayed: 0 };
      const { store, publisher, relay } = await setUp(
        {
          pollIntervalMs: 30,
          holdBackWarningMs: 100,
          holdBackCheckIntervalMs: 0,
          holdBackRepeatMs: 250,
          logger,
          metrics: {
            relayed: (_relay, events) => (gauges.relayed += events),
            waiting: (_relay, waiting, heldBack) => Object.assign(gauges, { waiting, heldBack }),
            holdBackAge: (_relay, seconds) => (gauges.age = seconds),
          },
        },
        cluster,
      );
      const holder = await cluster.connect();
      const ours = () => lines.filter(({ fields }) => fields.pid === pid);
      let pid = 0;
      try {
        await holder.query(`SET application_name = 'nightly-report'`);
        await holder.query('BEGIN');
        pid = (await holder.query('SELECT pg_backend_pid() AS pid, pg_current_xact_id()')).rows[0]
          .pid;
        await store.append('s-1', 'note', [note(1), note(2)], { expectedVersion: 0, context });
        await relay.start();

        await waitFor(async () => ours().length > 0);
        const growing = gauges.age;
        await new Promise((resolve) => setTimeout(resolve, 700));

        expect(gauges.age).toBeGreaterThan(growing);
        expect(gauges).toMatchObject({ waiting: 2, heldBack: 2, relayed: 0 });
        const warnings = ours().filter(({ level }) => level === 'warn');
        expect(warnings.length).toBeGreaterThanOrEqual(2);
        expect(warnings.length).toBeLessThanOrEqual(5);
        expect(warnings[0].message).toBe('outbox relay held back by a long-open transaction');
        expect(warnings[0].fields).toEqual({
          relay: TOPIC,
          pid,
          applicationName: 'nightly-report',
          database: expect.any(String),
          openForMs: expect.any(Number),
          eventsHeldBack: 2,
        });
        expect(warnings[1].message).toBe('outbox relay still held back by a long-open transaction');
        expect(publisher.events).toHaveLength(0);
      } finally {
        await holder.query('COMMIT');
        holder.release();
      }

      await waitFor(async () => publisher.events.length === 2);
      await waitFor(async () => ours().some(({ level }) => level === 'log'));
      expect(ours().filter(({ level }) => level === 'log')).toEqual([
        {
          level: 'log',
          message: 'outbox relay no longer held back',
          fields: { relay: TOPIC, pid, heldBackForMs: expect.any(Number) },
        },
      ]);
      // Counted once the batch is checkpointed, a moment after the publisher has it.
      await waitFor(async () => gauges.relayed === 2);
      expect(gauges.age).toBe(0);
      expect(await relay.refreshMetrics()).toEqual({ waiting: 0, heldBack: 0, holder: null });
    });
  });

  it('keeps counting the waiting events while publishing fails', async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const waiting: number[] = [];
    const { store, publisher, relay } = await setUp({
      pollIntervalMs: 20,
      holdBackCheckIntervalMs: 0,
      metrics: {
        relayed: () => undefined,
        waiting: (_relay, events) => waiting.push(events),
        holdBackAge: () => undefined,
      },
    });
    jest.spyOn(publisher, 'publish').mockRejectedValue(new Error('broker unavailable'));
    await store.append('s-1', 'note', [note(1), note(2), note(3)], {
      expectedVersion: 0,
      context,
    });

    await relay.start();

    await waitFor(async () => waiting.includes(3));
  });

  it('publishes exactly what many concurrent writers committed, in stream order', async () => {
    const { schema, store, publisher, relay } = await setUp({ batchSize: 7, pollIntervalMs: 100 });
    await relay.start();

    const outcome = await runConcurrentWriters(
      store,
      {
        writers: 20,
        appendsPerWriter: 12,
        streams: 8,
        delayedShare: 0.3,
        maxDelayMs: 300,
        rolledBackShare: 0.1,
      },
      context.tenantId,
    );
    const committed = await committedEvents(pool, schema);
    await waitFor(async () => publisher.events.length >= committed.length, 20_000);
    await relay.stop();

    expect(outcome.rolledBack).toBeGreaterThan(0);
    expect(committed).toHaveLength(outcome.committed);
    expect(publishedProblems(publisher.events, committed)).toEqual([]);
  });
});

function heldBackWarnings(spy: jest.SpyInstance): Array<[string, { pid: number }]> {
  return spy.mock.calls.filter(
    ([message]) => message === 'outbox relay held back by a long-open transaction',
  );
}

async function sleepingBackends(pool: Pool): Promise<number> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity
     WHERE datname = current_database() AND wait_event = 'PgSleep'`,
  );

  return rows[0].n;
}

/** Relays holding their session lock; each listens for appends before it takes the lock. */
async function listeners(pool: Pool): Promise<number> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
     WHERE l.locktype = 'advisory' AND l.granted AND d.datname = current_database()`,
  );

  return rows[0].n;
}

/**
 * The relay sees only transactions older than every open one in the whole cluster, and specs in
 * other jest workers hold transactions open too: wait for what this test committed.
 */
async function untilVisible(store: PostgresEventStore, count: number): Promise<void> {
  await waitFor(async () => (await store.readAll('0', 1000)).length >= count);
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
