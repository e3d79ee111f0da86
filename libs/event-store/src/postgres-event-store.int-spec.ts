import { Client, Pool } from 'pg';

import { CommandContext, NewEvent } from '@relate/contracts';
import { RelateError } from '@relate/errors';
import { TestDatabase, createTestDatabase } from '@relate/testing';

import { Clock, IdGenerator } from './clock';
import { decodeConsistencyToken } from './consistency-token';
import { EventStoreErrorCodes } from './event-store.errors';
import { eventsChannel } from './event-store.schema';
import { PostgresEventStore } from './postgres-event-store';
import { installCommitDelayTrigger } from './testing/commit-delay-trigger';

const SCHEMA = 'store_test';
const TENANT = 'tenant-a';
const OTHER_TENANT = 'tenant-b';

function contextFor(tenantId = TENANT, overrides: Partial<CommandContext> = {}): CommandContext {
  return {
    tenantId,
    actor: { type: 'user', id: 'user-1' },
    correlationId: 'corr-1',
    ...overrides,
  };
}

function noted(n: number, extra: Record<string, unknown> = {}): NewEvent {
  return { type: 'NoteAdded', data: { n, ...extra } };
}

let streamCounter = 0;
function newStreamId(): string {
  streamCounter += 1;

  return `stream-${streamCounter}-${Math.random().toString(36).slice(2, 8)}`;
}

async function caught(promise: Promise<unknown>): Promise<RelateError> {
  try {
    await promise;
  } catch (error) {
    return error as RelateError;
  }
  throw new Error('expected a rejection');
}

describe(PostgresEventStore.name, () => {
  let database: TestDatabase;
  let pool: Pool;
  let sut: PostgresEventStore;

  beforeAll(async () => {
    database = await createTestDatabase('event_store');
    pool = new Pool({ connectionString: database.url, max: 30 });
    sut = new PostgresEventStore(pool, { schema: SCHEMA });
    await sut.migrate();
    await installCommitDelayTrigger(pool, SCHEMA);
  });

  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  describe('migrate', () => {
    it('is idempotent and safe to run concurrently', async () => {
      await Promise.all([sut.migrate(), sut.migrate(), sut.migrate()]);

      const { rows } = await pool.query(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1
         ORDER BY table_name`,
        [SCHEMA],
      );
      expect(rows.map((row) => row.table_name)).toEqual(['events', 'relay_checkpoints', 'streams']);
    });
  });

  describe('append and readStream', () => {
    it('stores the envelope with business time apart from recorded time', async () => {
      const clock: Clock = { now: () => new Date('2026-01-02T03:04:05.678Z') };
      const ids: IdGenerator = { next: () => '01890a5d-ac96-774b-bcce-b302099a8057' };
      const store = new PostgresEventStore(pool, { schema: SCHEMA, clock, ids });
      const streamId = newStreamId();
      const context = contextFor(TENANT, {
        causationId: 'cause-1',
        traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      });

      await store.append(
        streamId,
        'deal',
        [{ type: 'DealWon', schemaVersion: 2, data: { value: 10 }, occurredAt: '2017-03-01' }],
        { expectedVersion: 'no_stream', context },
      );

      expect(await store.readStream(TENANT, streamId)).toEqual([
        expect.objectContaining({
          id: '01890a5d-ac96-774b-bcce-b302099a8057',
          type: 'DealWon',
          schemaVersion: 2,
          streamId,
          streamVersion: 1,
          tenantId: TENANT,
          occurredAt: '2017-03-01T00:00:00.000Z',
          recordedAt: '2026-01-02T03:04:05.678Z',
          actor: { type: 'user', id: 'user-1' },
          correlationId: 'corr-1',
          causationId: 'cause-1',
          traceparent: context.traceparent,
          data: { value: 10 },
        }),
      ]);
    });

    it('numbers versions consecutively and answers version, position and token', async () => {
      const streamId = newStreamId();

      const first = await sut.append(streamId, 'note', [noted(1), noted(2)], {
        expectedVersion: 'no_stream',
        context: contextFor(),
      });
      const second = await sut.append(streamId, 'note', [noted(3)], {
        expectedVersion: 2,
        context: contextFor(),
      });

      const events = await sut.readStream(TENANT, streamId);
      expect(events.map((e) => [e.streamVersion, e.data])).toEqual([
        [1, { n: 1 }],
        [2, { n: 2 }],
        [3, { n: 3 }],
      ]);
      expect(first.streamVersion).toBe(2);
      expect(second.streamVersion).toBe(3);
      expect(BigInt(second.position)).toBeGreaterThan(BigInt(first.position));
      expect(decodeConsistencyToken(second.consistencyToken)).toEqual({ streamId, version: 3 });
    });

    it('gives events UUID v7 ids and defaults schemaVersion and occurredAt', async () => {
      const streamId = newStreamId();

      await sut.append(streamId, 'note', [noted(1)], {
        expectedVersion: 0,
        context: contextFor(),
      });

      const [event] = await sut.readStream(TENANT, streamId);
      expect(event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-/);
      expect(event.schemaVersion).toBe(1);
      expect(event.occurredAt).toBe(event.recordedAt);
    });

    it('checks the expectation and appends nothing for an empty list', async () => {
      const streamId = newStreamId();
      await sut.append(streamId, 'note', [noted(1)], { expectedVersion: 0, context: contextFor() });

      const result = await sut.append(streamId, 'note', [], {
        expectedVersion: 1,
        context: contextFor(),
      });

      expect(result.streamVersion).toBe(1);
      await expect(
        sut.append(streamId, 'note', [], { expectedVersion: 0, context: contextFor() }),
      ).rejects.toMatchObject({ code: EventStoreErrorCodes.wrongExpectedVersion });
    });

    it('rejects an event with an unreadable occurredAt as a validation error', async () => {
      const error = await caught(
        sut.append(newStreamId(), 'note', [{ type: 'X', data: {}, occurredAt: 'soon' }], {
          expectedVersion: 'no_stream',
          context: contextFor(),
        }),
      );

      expect(error).toMatchObject({ category: 'validation', code: 'EVENT_STORE.INVALID_EVENT' });
    });
  });

  describe('expected versions', () => {
    it('rejects a stale version with a conflict naming expected and actual', async () => {
      const streamId = newStreamId();
      await sut.append(streamId, 'note', [noted(1), noted(2)], {
        expectedVersion: 'no_stream',
        context: contextFor(),
      });

      const error = await caught(
        sut.append(streamId, 'note', [noted(3)], { expectedVersion: 1, context: contextFor() }),
      );

      expect(error).toBeInstanceOf(RelateError);
      expect(error).toMatchObject({
        code: EventStoreErrorCodes.wrongExpectedVersion,
        category: 'conflict',
        details: { streamId, expected: 1, actual: 2 },
      });
      expect(await sut.readStream(TENANT, streamId)).toHaveLength(2);
    });

    it.each([['no_stream' as const], [0]])(
      'rejects %p when the stream exists',
      async (expectedVersion) => {
        const streamId = newStreamId();
        await sut.append(streamId, 'note', [noted(1)], {
          expectedVersion: 'no_stream',
          context: contextFor(),
        });

        const error = await caught(
          sut.append(streamId, 'note', [noted(2)], { expectedVersion, context: contextFor() }),
        );

        expect(error.details).toEqual({ streamId, expected: expectedVersion, actual: 1 });
      },
    );

    it('rejects a version ahead of the stream', async () => {
      const error = await caught(
        sut.append(newStreamId(), 'note', [noted(1)], {
          expectedVersion: 5,
          context: contextFor(),
        }),
      );

      expect(error.details).toMatchObject({ expected: 5, actual: 0 });
    });

    it("appends at whatever version with 'any'", async () => {
      const streamId = newStreamId();

      await sut.append(streamId, 'note', [noted(1)], {
        expectedVersion: 'any',
        context: contextFor(),
      });
      const result = await sut.append(streamId, 'note', [noted(2)], {
        expectedVersion: 'any',
        context: contextFor(),
      });

      expect(result.streamVersion).toBe(2);
    });

    it('lets exactly one of many concurrent writers at the same version win', async () => {
      const streamId = newStreamId();
      await sut.append(streamId, 'note', [noted(0)], { expectedVersion: 0, context: contextFor() });

      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          sut.append(streamId, 'note', [noted(i + 1)], {
            expectedVersion: 1,
            context: contextFor(),
          }),
        ),
      );

      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost.map((o) => o.reason.code)).toEqual(
        Array(11).fill(EventStoreErrorCodes.wrongExpectedVersion),
      );
      expect((await sut.readStream(TENANT, streamId)).map((e) => e.streamVersion)).toEqual([1, 2]);
    });

    it('lets exactly one of many concurrent creators of a stream win', async () => {
      const streamId = newStreamId();

      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, i) =>
          sut.append(streamId, 'note', [noted(i)], {
            expectedVersion: 'no_stream',
            context: contextFor(),
          }),
        ),
      );

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await sut.readStream(TENANT, streamId)).toHaveLength(1);
    });

    it("keeps versions gap-free under concurrent 'any' appends", async () => {
      const streamId = newStreamId();

      await Promise.all(
        Array.from({ length: 15 }, (_, i) =>
          sut.append(streamId, 'note', [noted(i), noted(i)], {
            expectedVersion: 'any',
            context: contextFor(),
          }),
        ),
      );

      const versions = (await sut.readStream(TENANT, streamId)).map((e) => e.streamVersion);
      expect(versions).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    });

    it('maps a unique violation on (stream, version) to the conflict', async () => {
      const streamId = newStreamId();
      // An event row without its stream row: what a lost race on the events table looks like.
      await pool.query(
        `INSERT INTO ${SCHEMA}.events (event_id, stream_id, stream_type, stream_version,
           tenant_id, type, schema_version, occurred_at, recorded_at, actor, correlation_id, data)
         VALUES (gen_random_uuid(), $1, 'note', 1, $2, 'NoteAdded', 1, now(), now(),
           '{"type":"system","id":"t"}', 'c', '{}')`,
        [streamId, TENANT],
      );

      const error = await caught(
        sut.append(streamId, 'note', [noted(1)], {
          expectedVersion: 'no_stream',
          context: contextFor(),
        }),
      );

      expect(error).toMatchObject({ code: EventStoreErrorCodes.wrongExpectedVersion });
      expect(error.cause).toMatchObject({ code: '23505' });
    });
  });

  describe('tenant scoping', () => {
    it("reads another tenant's stream as empty", async () => {
      const streamId = newStreamId();
      await sut.append(streamId, 'note', [noted(1)], { expectedVersion: 0, context: contextFor() });

      expect(await sut.readStream(OTHER_TENANT, streamId)).toEqual([]);
      expect(await sut.readStream(TENANT, streamId)).toHaveLength(1);
    });

    it("refuses to append to another tenant's stream without revealing its version", async () => {
      const streamId = newStreamId();
      await sut.append(streamId, 'note', [noted(1)], { expectedVersion: 0, context: contextFor() });

      for (const expectedVersion of [1, 'no_stream', 'any'] as const) {
        const error = await caught(
          sut.append(streamId, 'note', [noted(2)], {
            expectedVersion,
            context: contextFor(OTHER_TENANT),
          }),
        );
        expect(error.details).toEqual({ streamId, expected: expectedVersion, actual: null });
      }
      expect(await sut.readStream(TENANT, streamId)).toHaveLength(1);
    });
  });

  describe('announcing appends', () => {
    it("wakes a listener on the schema's channel once the append is readable", async () => {
      const listener = new Client({ connectionString: database.url });
      await listener.connect();
      try {
        const streamId = newStreamId();
        const readOnWakeUp = new Promise<number>((resolve) => {
          listener.on('notification', () => {
            void sut.readStream(TENANT, streamId).then((events) => resolve(events.length));
          });
        });
        await listener.query(`LISTEN "${eventsChannel(SCHEMA)}"`);

        await sut.append(streamId, 'note', [noted(1)], {
          expectedVersion: 0,
          context: contextFor(),
        });

        expect(await readOnWakeUp).toBe(1);
      } finally {
        await listener.end();
      }
    });

    // A transaction that notifies holds a cluster-wide lock until its commit is flushed, so
    // appends that notified in their own transaction reached the disk one at a time.
    it('announces once for all appends that commit while an announcement is out', async () => {
      const gated = gatedAnnouncements();
      const store = new PostgresEventStore(gated.pool, { schema: SCHEMA });
      const streamId = newStreamId();
      for (let version = 0; version < 5; version++) {
        await store.append(streamId, 'note', [noted(version)], {
          expectedVersion: version,
          context: contextFor(),
        });
      }
      const whileFirstIsOut = gated.announcements;
      gated.open();
      await waitUntil(async () => gated.announcements === 2);
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(whileFirstIsOut).toBe(1);
      expect(gated.announcements).toBe(2);
      expect(gated.appendTexts.filter((text) => text.includes('pg_notify'))).toEqual([]);
      await gated.pool.end();
    });

    it('announces nothing when told not to notify', async () => {
      const gated = gatedAnnouncements();
      gated.open();
      const store = new PostgresEventStore(gated.pool, { schema: SCHEMA, notify: false });

      await store.append(newStreamId(), 'note', [noted(1)], {
        expectedVersion: 0,
        context: contextFor(),
      });
      await new Promise((resolve) => setTimeout(resolve, 100));

      expect(gated.announcements).toBe(0);
      await gated.pool.end();
    });

    /** A pool whose announcements wait until `open()`, counted; other statements pass. */
    function gatedAnnouncements() {
      const gatedPool = new Pool({ connectionString: database.url, max: 4 });
      const query = gatedPool.query.bind(gatedPool) as (...args: unknown[]) => Promise<unknown>;
      let release!: () => void;
      const gate = new Promise<void>((resolve) => (release = resolve));
      const gated = {
        pool: gatedPool,
        announcements: 0,
        appendTexts: [] as string[],
        open: () => release(),
      };
      gatedPool.query = (async (...args: unknown[]) => {
        const [statement] = args;
        if (typeof statement === 'string' && statement.includes('pg_notify')) {
          gated.announcements += 1;
          await gate;
        } else if (typeof statement === 'object' && statement !== null) {
          gated.appendTexts.push((statement as { text: string }).text);
        }

        return query(...args);
      }) as never;

      return gated;
    }
  });

  describe('readAll', () => {
    it('reads all streams in order, page by page after a cursor', async () => {
      const store = await isolatedStore('read_all_pages');
      const a = newStreamId();
      const b = newStreamId();
      const first = Array.from({ length: 9 }, (_, i) => noted(i + 1));
      await store.append(a, 'note', first, { expectedVersion: 0, context: contextFor() });
      await store.append(b, 'note', [noted(10)], { expectedVersion: 0, context: contextFor() });
      await store.append(a, 'note', [noted(11)], { expectedVersion: 9, context: contextFor() });
      await untilVisible(store, 11);

      const firstPage = await store.readAll('0', 8);
      const secondPage = await store.readAll(firstPage[7].position, 8);

      expect([...firstPage, ...secondPage].map((e) => e.data)).toEqual(
        Array.from({ length: 11 }, (_, i) => ({ n: i + 1 })),
      );
      expect(await store.readAll(secondPage[2].position, 10)).toEqual([]);
    });

    it('holds back events behind an open transaction and never skips a late commit', async () => {
      const store = await isolatedStore('read_all_late');
      const slow = newStreamId();
      const fast = newStreamId();
      const slowAppend = store.append(slow, 'note', [noted(1, { delayMs: 1500 })], {
        expectedVersion: 0,
        context: contextFor(),
      });
      await waitUntil(async () => (await sleepingAppends()) > 0);
      const fastResult = await store.append(fast, 'note', [noted(2)], {
        expectedVersion: 0,
        context: contextFor(),
      });

      const whileOpen = await store.readAll('0', 10);
      const slowResult = await slowAppend;
      const afterCommit = await untilVisible(store, 2);

      expect(BigInt(slowResult.position)).toBeLessThan(BigInt(fastResult.position));
      expect(whileOpen).toEqual([]);
      expect(afterCommit.map((e) => e.streamId)).toEqual([slow, fast]);
    });

    it('rejects a cursor that is not a position of this store', async () => {
      await expect(sut.readAll('999999999', 10)).rejects.toMatchObject({
        code: EventStoreErrorCodes.invalidPosition,
      });
    });

    async function isolatedStore(schema: string): Promise<PostgresEventStore> {
      const store = new PostgresEventStore(pool, { schema });
      await store.migrate();
      await installCommitDelayTrigger(pool, schema);

      return store;
    }

    async function sleepingAppends(): Promise<number> {
      const { rows } = await pool.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity
         WHERE datname = current_database() AND wait_event = 'PgSleep'`,
      );

      return rows[0].n;
    }
  });
});

/**
 * readAll shows only transactions older than every open one in the whole cluster, and specs in
 * other jest workers hold transactions open too: wait for what this test committed.
 */
async function untilVisible(store: PostgresEventStore, count: number) {
  let events = await store.readAll('0', 100);
  await waitUntil(async () => (events = await store.readAll('0', 100)).length >= count);

  return events;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`${PostgresEventStore.name} with the database unreachable or gone`, () => {
  let database: TestDatabase;
  let admin: Pool;

  beforeAll(async () => {
    database = await createTestDatabase('event_store_gone');
    admin = new Pool({ connectionString: database.url, max: 2 });
    await new PostgresEventStore(admin, { schema: SCHEMA }).migrate();
    await installCommitDelayTrigger(admin, SCHEMA);
  });

  afterAll(async () => {
    await admin.end();
    await database.drop();
  });

  it('fails reads and appends with a retriable UNAVAILABLE when it cannot connect', async () => {
    const closed = new Pool({ connectionString: 'postgres://relate@127.0.0.1:1/none' });
    closed.on('error', () => undefined);
    const store = new PostgresEventStore(closed, { schema: SCHEMA });
    try {
      const read = await caught(store.readStream(TENANT, newStreamId()));
      const appended = await caught(
        store.append(newStreamId(), 'Note', [noted(1)], {
          expectedVersion: 'no_stream',
          context: contextFor(),
        }),
      );

      for (const error of [read, appended]) {
        expect(error).toBeInstanceOf(RelateError);
        expect(error).toMatchObject({
          code: EventStoreErrorCodes.unavailable,
          category: 'internal',
          retriable: true,
        });
      }
    } finally {
      await closed.end();
    }
  });

  it('says OUTCOME_UNKNOWN when the connection breaks during an append', async () => {
    const doomed = new Pool({ connectionString: database.url, application_name: 'doomed' });
    doomed.on('error', () => undefined);
    const store = new PostgresEventStore(doomed, { schema: SCHEMA });
    try {
      const append = caught(
        store.append(newStreamId(), 'Note', [noted(1, { delayMs: 2_000 })], {
          expectedVersion: 'no_stream',
          context: contextFor(),
        }),
      );
      await terminateWhenActive(admin, 'doomed');

      expect(await append).toMatchObject({
        code: EventStoreErrorCodes.outcomeUnknown,
        retriable: true,
      });
    } finally {
      await doomed.end();
    }
  });
});

/** Terminates the backend of the application once it runs a statement. */
async function terminateWhenActive(admin: Pool, application: string): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    const { rows } = await admin.query<{ done: boolean }>(
      `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
       WHERE application_name = $1 AND state = 'active'`,
      [application],
    );
    if (rows.some(({ done }) => done)) {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no active statement of ${application} to terminate`);
}
