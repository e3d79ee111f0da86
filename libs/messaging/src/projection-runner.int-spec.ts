import { randomBytes } from 'node:crypto';

import { Logger } from '@nestjs/common';
import { IHeaders } from 'kafkajs';
import { Pool } from 'pg';

import { TestDatabase, createTestDatabase } from '@relate/testing';

import { DeadLetterHeaders } from './dead-letter';
import { EventPublisher } from './event-publisher';
import { createKafkaClient } from './kafka-client';
import { ProjectionGenerations } from './projection-generations';
import {
  ParkedEventErrorCodes,
  ProjectionRunner,
  ProjectionRunnerOptions,
} from './projection-runner';
import { NotesProjection, noteEvent, testKafkaSettings } from './testing/notes.projection';
import { readTopic } from './topic-reader';

const settings = testKafkaSettings('projection-runner-spec');

describe(ProjectionRunner.name, () => {
  let database: TestDatabase;
  let pool: Pool;
  let publisher: EventPublisher;
  let counter = 0;
  const runners: ProjectionRunner[] = [];

  beforeAll(async () => {
    database = await createTestDatabase('projection_runner');
    pool = new Pool({ connectionString: database.url, max: 20 });
    // The database's drop at teardown ends every connection still open, also one a stopped
    // runner's last query holds: that is expected then, not an error of the spec.
    pool.on('error', () => undefined);
    pool.on('connect', (client) => client.on('error', () => undefined));
    publisher = new EventPublisher(settings);
    await publisher.connect();
  });

  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop()));
    jest.restoreAllMocks();
  });

  afterAll(async () => {
    await publisher.disconnect();
    await pool.end();
    await database.drop();
  });

  async function setUp(options: Partial<ProjectionRunnerOptions> = {}) {
    counter += 1;
    const schema = `runner_${counter}`;
    const topic = `spec.runner.${randomBytes(4).toString('hex')}`;
    const projection = new NotesProjection([topic], schema);
    const runner = track(
      new ProjectionRunner(pool, settings, projection, {
        schema,
        fromBeginning: true,
        retryBackoffMs: 10,
        ...options,
      }),
    );

    return { schema, topic, projection, runner };
  }

  function track(runner: ProjectionRunner): ProjectionRunner {
    runners.push(runner);

    return runner;
  }

  async function parkedRows(schema: string) {
    const { rows } = await pool.query(
      `SELECT event_id, stream_id, stream_version, reason, blocked_by, status, retries,
         last_retry_error
       FROM ${schema}.parked_events ORDER BY stream_id NULLS FIRST, stream_version`,
    );

    return rows;
  }

  async function versionOf(schema: string, streamId: string): Promise<number> {
    const { rows } = await pool.query(
      `SELECT version FROM ${schema}.projection_stream_versions WHERE stream_id = $1`,
      [streamId],
    );

    return rows[0]?.version ?? 0;
  }

  async function checksum(schema: string): Promise<string> {
    const { rows } = await pool.query(
      `SELECT md5(coalesce(string_agg(n::text, '|' ORDER BY stream_id), '')) AS sum
       FROM ${schema}.notes n`,
    );

    return rows[0].sum;
  }

  it('applies events, records progress and commits offsets after the transaction', async () => {
    const { schema, topic, runner } = await setUp();
    await publisher.publish(topic, [
      noteEvent('a', 1, { n: 1 }),
      noteEvent('b', 1, { n: 10 }),
      noteEvent('a', 2, { n: 2 }),
    ]);

    await runner.start();

    expect(await runner.waitFor('a', 2, 15_000)).toBe(true);
    expect(await runner.waitFor('b', 1, 15_000)).toBe(true);
    const { rows } = await pool.query(
      `SELECT stream_id, last_version, total FROM ${schema}.notes ORDER BY stream_id`,
    );
    expect(rows).toEqual([
      { stream_id: 'a', last_version: 2, total: 3 },
      { stream_id: 'b', last_version: 1, total: 10 },
    ]);
    await waitUntil(async () => (await committedLag(runner.groupId, topic)) === 0);
  });

  it('changes no row when the same events arrive again, republished or replayed', async () => {
    const { schema, topic, projection, runner } = await setUp();
    const events = ['a', 'b', 'c'].flatMap((streamId) =>
      [1, 2, 3].map((version) => noteEvent(streamId, version, { n: version })),
    );
    await publisher.publish(topic, events);
    await runner.start();
    await waitUntil(async () => runner.stats.applied === 9);
    const before = await checksum(schema);

    await publisher.publish(topic, events);
    await waitUntil(async () => runner.stats.skipped === 9);
    const afterRepublish = await checksum(schema);
    const replay = track(
      new ProjectionRunner(pool, settings, projection, {
        schema,
        fromBeginning: true,
        groupId: `${runner.groupId}.replay`,
      }),
    );
    await replay.start();
    await waitUntil(async () => replay.stats.skipped === 18);

    expect(afterRepublish).toBe(before);
    expect(await checksum(schema)).toBe(before);
    expect(replay.stats.applied).toBe(0);
  });

  it('applies each event once when two runners consume the same events at once', async () => {
    const { schema, topic, projection, runner } = await setUp({ transactionBatchSize: 5 });
    const [firsts, rest] = [1, 2].map((part) =>
      ['a', 'b', 'c'].flatMap((streamId) =>
        Array.from({ length: 30 }, (_, i) => noteEvent(streamId, i + 1, { n: i + 1 })).filter(
          (event) => (part === 1) === (event.streamVersion === 1),
        ),
      ),
    );
    const rival = track(
      new ProjectionRunner(pool, settings, projection, {
        schema,
        fromBeginning: true,
        groupId: `${runner.groupId}.rival`,
        transactionBatchSize: 3,
      }),
    );
    await publisher.publish(topic, firsts);
    await runner.start();
    await waitUntil(async () => runner.stats.applied === 3);

    await publisher.publish(topic, rest);
    await rival.start();
    const done = (r: ProjectionRunner) => r.stats.applied + r.stats.skipped >= 90;
    await waitUntil(async () => done(runner) && done(rival));

    expect(runner.stats.applied + rival.stats.applied).toBe(90);
    const { rows } = await pool.query(`SELECT total FROM ${schema}.notes ORDER BY stream_id`);
    expect(rows).toEqual([{ total: 465 }, { total: 465 }, { total: 465 }]);
  });

  it('logs a stream version gap loudly and applies the event anyway', async () => {
    const error = jest.spyOn(Logger.prototype, 'error');
    const { schema, topic, runner } = await setUp();
    await publisher.publish(topic, [noteEvent('a', 1), noteEvent('a', 3)]);

    await runner.start();

    expect(await runner.waitFor('a', 3, 15_000)).toBe(true);
    const gaps = error.mock.calls.filter(([message]) => message === 'stream version gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0][1]).toMatchObject({ streamId: 'a', expectedVersion: 2, receivedVersion: 3 });
    expect(runner.stats.gaps).toBe(1);
    const { rows } = await pool.query(`SELECT last_version FROM ${schema}.notes`);
    expect(rows).toEqual([{ last_version: 3 }]);
  });

  it('parks poison and undecodable events on the dead-letter topic; others flow on', async () => {
    const { schema, topic, runner } = await setUp({ maxRetries: 1 });
    const poison = noteEvent('b', 1, {}, { type: 'Poison' });
    const behind = noteEvent('b', 2);
    await publisher.publish(topic, [noteEvent('a', 1), poison]);
    await sendRaw(topic, 'garbage', '{not json');
    await publisher.publish(topic, [noteEvent('a', 2), behind]);

    await runner.start();

    expect(await runner.waitFor('a', 2, 15_000)).toBe(true);
    await waitUntil(async () => runner.stats.parkedBehind === 1);
    const parked = await readTopic(settings, `${topic}.dlq`, 2);
    const byCode = Object.fromEntries(
      parked.map((record) => [record.headers[DeadLetterHeaders.errorCode], record]),
    );
    expect(Object.keys(byCode).sort()).toEqual(['MESSAGING.UNDECODABLE_EVENT', 'SPEC.POISON']);
    expect(JSON.parse(byCode['SPEC.POISON'].value as string).id).toBe(poison.id);
    expect(byCode['SPEC.POISON'].headers).toMatchObject({
      [DeadLetterHeaders.originalTopic]: topic,
      [DeadLetterHeaders.projection]: 'notes',
      [DeadLetterHeaders.attempts]: '2',
      'relate-event-type': 'Poison',
    });
    expect(runner.stats.deadLettered).toBe(2);
    expect(await parkedRows(schema)).toEqual([
      expect.objectContaining({
        event_id: expect.stringMatching(/^spec\.runner\.[0-9a-f]+\/\d+\/\d+$/),
        reason: 'undecodable',
        stream_id: null,
      }),
      expect.objectContaining({ event_id: poison.id, reason: 'failed', blocked_by: null }),
      expect.objectContaining({
        event_id: behind.id,
        reason: 'waiting-behind-parked-event',
        blocked_by: poison.id,
        stream_version: 2,
      }),
    ]);
    // b 2 waits behind b 1: applying it over the hole would leave b 1 unable ever to apply.
    expect(await versionOf(schema, 'b')).toBe(0);
    await waitUntil(async () => (await committedLag(runner.groupId, topic)) === 0);
  });

  it('parks events PostgreSQL cannot store as they are, and the partition flows on', async () => {
    const { schema, topic, runner } = await setUp({ maxRetries: 0 });
    // A foreign producer's binary header, and envelopes whose stream id no text column or
    // index takes: recording them must not fail for ever and hold the partition up.
    await sendRaw(topic, 'a', '{not json', { binary: Buffer.from([0x61, 0x00, 0x62]) });
    await sendRaw(topic, 'a', JSON.stringify(noteEvent('nul\u0000stream', 1)));
    await sendRaw(topic, 'a', JSON.stringify(noteEvent(`long-${'x'.repeat(9000)}`, 1)));
    await sendRaw(topic, 'a', JSON.stringify(noteEvent('a', 1)));

    await runner.start();

    expect(await runner.waitFor('a', 1, 15_000)).toBe(true);
    const parked = await parkedRows(schema);
    expect(parked).toHaveLength(3);
    expect(parked.every((row) => row.reason === 'undecodable')).toBe(true);
  });

  it('lists a parked event once when it is consumed again (a redelivery or a replay)', async () => {
    const { schema, topic, projection, runner } = await setUp({ maxRetries: 0 });
    await publisher.publish(topic, [
      noteEvent('b', 1, {}, { type: 'Poison' }),
      noteEvent('b', 2),
      noteEvent('c', 1),
    ]);
    await runner.start();
    await waitUntil(async () => runner.stats.parkedBehind === 1 && runner.stats.applied === 1);
    const replay = track(
      new ProjectionRunner(pool, settings, projection, {
        schema,
        fromBeginning: true,
        retryBackoffMs: 10,
        maxRetries: 0,
        groupId: `${runner.groupId}.replay`,
      }),
    );

    await replay.start();
    await waitUntil(async () => (await committedLag(replay.groupId, topic)) === 0);

    expect(await parkedRows(schema)).toHaveLength(2);
    // The parked event itself is recognised as parked and not tried again.
    expect(replay.stats).toMatchObject({ applied: 0, parkedBehind: 0, skipped: 3 });
    expect(replay.stats.deadLettered).toBe(0);
  });

  it('applies a parked event and those behind it once when retried after the fix', async () => {
    const { schema, topic, projection, runner } = await setUp({ maxRetries: 0 });
    const poison = noteEvent('b', 1, { n: 1 }, { type: 'Poison' });
    const behind = [noteEvent('b', 2, { n: 10 }), noteEvent('b', 3, { n: 100 })];
    await publisher.publish(topic, [poison, noteEvent('a', 1), ...behind]);
    await runner.start();
    await waitUntil(async () => runner.stats.parkedBehind === 2 && runner.stats.applied === 1);

    projection.cure();
    const retries = await Promise.allSettled([
      runner.retryParked(poison.id),
      runner.retryParked(poison.id),
    ]);

    const done = retries.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const refused = retries.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    expect(done).toEqual([
      expect.objectContaining({ applied: [poison.id, ...behind.map(({ id }) => id)] }),
    ]);
    expect(refused).toEqual([
      expect.objectContaining({ code: ParkedEventErrorCodes.alreadyResolved }),
    ]);
    await expect(runner.retryParked(behind[0].id)).rejects.toMatchObject({
      code: ParkedEventErrorCodes.alreadyResolved,
    });
    const { rows } = await pool.query(`SELECT last_version, total FROM ${schema}.notes
      WHERE stream_id = 'b'`);
    expect(rows).toEqual([{ last_version: 3, total: 111 }]);
    expect((await parkedRows(schema)).map((row) => row.status)).toEqual([
      'resolved',
      'resolved',
      'resolved',
    ]);
    // Later events of the stream apply again as they come.
    await publisher.publish(topic, [noteEvent('b', 4, { n: 1000 })]);
    expect(await runner.waitFor('b', 4, 15_000)).toBe(true);
    expect(runner.stats.parkedBehind).toBe(2);
  });

  it('applies every event once when the runner consumes the stream during a retry', async () => {
    const { schema, topic, projection, runner } = await setUp({
      maxRetries: 0,
      transactionBatchSize: 3,
    });
    const poison = noteEvent('b', 1, { n: 1 }, { type: 'Poison' });
    await publisher.publish(topic, [poison, noteEvent('b', 2, { n: 2 })]);
    await runner.start();
    await waitUntil(async () => runner.stats.parkedBehind === 1);
    projection.cure();
    const later = Array.from({ length: 28 }, (_, i) => noteEvent('b', i + 3, { n: i + 3 }));

    // Events of the stream arrive while the retry runs: each is either parked behind (and then
    // applied by the retry) or applied by the runner after it; never both, never neither.
    const [retry] = await Promise.all([
      new Promise((resolve) => setTimeout(resolve, 20)).then(() => runner.retryParked(poison.id)),
      (async () => {
        for (let start = 0; start < later.length; start += 4) {
          await publisher.publish(topic, later.slice(start, start + 4));
        }
      })(),
    ]);

    expect(await runner.waitFor('b', 30, 15_000)).toBe(true);
    const { rows } = await pool.query(`SELECT last_version, total FROM ${schema}.notes`);
    expect(rows).toEqual([{ last_version: 30, total: 465 }]);
    const parked = await parkedRows(schema);
    expect(parked.filter((row) => row.status === 'parked')).toEqual([]);
    expect(retry.applied.length).toBe(parked.length);
  });

  it('leaves events parked, with the error, when the retry fails again', async () => {
    const { schema, topic, runner } = await setUp({ maxRetries: 0 });
    const poison = noteEvent('b', 1, {}, { type: 'Poison' });
    const behind = noteEvent('b', 2);
    await publisher.publish(topic, [poison, behind]);
    await runner.start();
    await waitUntil(async () => runner.stats.parkedBehind === 1);

    await expect(runner.retryParked(poison.id)).rejects.toMatchObject({
      code: ParkedEventErrorCodes.retryFailed,
      details: expect.objectContaining({ errorCode: 'SPEC.POISON' }),
    });
    await expect(runner.retryParked(behind.id)).rejects.toMatchObject({
      code: ParkedEventErrorCodes.waitingBehind,
      details: { eventId: behind.id, blockedBy: poison.id },
    });
    await expect(runner.retryParked('no-such-event')).rejects.toMatchObject({
      code: ParkedEventErrorCodes.notFound,
    });

    const rows = await parkedRows(schema);
    expect(rows.map((row) => row.status)).toEqual(['parked', 'parked']);
    expect(rows[0]).toMatchObject({
      retries: 1,
      last_retry_error: expect.stringContaining('never'),
    });
    expect(await versionOf(schema, 'b')).toBe(0);
  });

  it('refuses a retry while not consuming (a reactor paused for a rebuild)', async () => {
    const { schema, topic, projection, runner } = await setUp({ maxRetries: 0 });
    const poison = noteEvent('b', 1, { n: 1 }, { type: 'Poison' });
    await publisher.publish(topic, [poison]);
    await runner.start();
    await waitUntil(async () => runner.stats.deadLettered === 1);
    await runner.stop();
    projection.cure();

    await expect(runner.retryParked(poison.id)).rejects.toMatchObject({
      code: ParkedEventErrorCodes.notRunning,
    });
    expect(await versionOf(schema, 'b')).toBe(0);
    await runner.start();
    await expect(runner.retryParked(poison.id)).resolves.toMatchObject({ applied: [poison.id] });
  });

  it('forgets the parked events of a generation that a rebuild replaced', async () => {
    const { schema, topic, projection, runner } = await setUp({ maxRetries: 0 });
    const poison = noteEvent('b', 1, {}, { type: 'Poison' });
    await publisher.publish(topic, [poison]);
    await runner.start();
    await waitUntil(async () => runner.stats.deadLettered === 1);
    await runner.stop();

    await new ProjectionGenerations(pool, schema).beginRebuild(projection, 'rebuild-1', []);

    expect(await parkedRows(schema)).toEqual([]);
    projection.cure();
    await expect(runner.retryParked(poison.id)).rejects.toMatchObject({
      code: ParkedEventErrorCodes.notFound,
    });
  });

  it('retries a retriable failure with backoff until it applies', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const { topic, runner } = await setUp({ maxRetries: 0 });
    await publisher.publish(topic, [noteEvent('a', 1, { n: 1, failTimes: 3 }, { type: 'Flaky' })]);

    await runner.start();

    expect(await runner.waitFor('a', 1, 15_000)).toBe(true);
    const retries = warn.mock.calls.filter(([message]) =>
      String(message).startsWith('projection failed to apply an event'),
    );
    // The first failure happens in the batched transaction, which then retries event by event.
    expect(retries.map(([, fields]) => fields)).toEqual([
      expect.objectContaining({ attempt: 1, retriable: true }),
      expect.objectContaining({ attempt: 2, retriable: true }),
    ]);
    expect(runner.stats).toMatchObject({ applied: 1, deadLettered: 0 });
  });

  it('creates the tables of many runners of one new schema started at once', async () => {
    const schemas = Array.from({ length: 5 }, () => `race_${randomBytes(4).toString('hex')}`);
    const migrations = schemas.flatMap((schema) =>
      Array.from({ length: 6 }, (_, i) => {
        const projection = new NotesProjection(['unused'], schema);
        Object.defineProperty(projection, 'name', { value: `notes_${i}` });

        return new ProjectionRunner(pool, settings, projection, { schema }).migrate();
      }),
    );

    const outcomes = await Promise.allSettled(migrations);

    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM information_schema.tables
       WHERE table_schema = ANY($1) AND table_name = 'projection_stream_versions'`,
      [schemas],
    );
    expect(rows).toEqual([{ n: schemas.length }]);
  });

  describe('waitFor', () => {
    it('answers true at once for a version applied before the call', async () => {
      const { topic, runner } = await setUp();
      await publisher.publish(topic, [noteEvent('a', 1), noteEvent('a', 2)]);
      await runner.start();
      await waitUntil(async () => runner.stats.applied === 2);

      const startedAt = Date.now();
      const seen = await runner.waitFor('a', 1, 5_000);

      expect(seen).toBe(true);
      expect(Date.now() - startedAt).toBeLessThan(1_000);
    });

    it('wakes a waiter when the version is applied, and times out otherwise', async () => {
      const { topic, runner } = await setUp();
      await runner.start();

      const waiting = runner.waitFor('a', 2, 15_000);
      const tooFar = runner.waitFor('a', 3, 1_000);
      await publisher.publish(topic, [noteEvent('a', 1), noteEvent('a', 2)]);

      expect(await waiting).toBe(true);
      expect(await tooFar).toBe(false);
    });
  });
});

async function sendRaw(
  topic: string,
  key: string,
  value: string,
  headers?: IHeaders,
): Promise<void> {
  const producer = createKafkaClient(settings).producer();
  await producer.connect();
  try {
    await producer.send({ topic, messages: [{ key, value, headers }] });
  } finally {
    await producer.disconnect();
  }
}

/** Records on the topic that the group has not committed past, over all partitions. */
async function committedLag(groupId: string, topic: string): Promise<number> {
  const admin = createKafkaClient(settings).admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });

    return ends.reduce((lag, end) => {
      const at = committed.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';

      return lag + Number(end.high) - Math.max(0, Number(at));
    }, 0);
  } finally {
    await admin.disconnect();
  }
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
