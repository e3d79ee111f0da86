import { randomBytes, randomUUID } from 'node:crypto';

import { INestApplication } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';
import request from 'supertest';

import { EventEnvelope } from '@relate/contracts';
import { RelateError } from '@relate/errors';
import { EventPublisher, Projection } from '@relate/messaging';
import { createTestDatabase, eventually, TestDatabase } from '@relate/testing';

import { PlatformModule } from './platform.module';
import { createNestApp } from './service-app';

/** Totals per stream; `Poison` events fail permanently until `fixed`. */
class TotalsProjection implements Projection {
  readonly name = 'totals';
  readonly tables: string[];
  fixed = false;

  constructor(
    readonly topics: string[],
    schema: string,
  ) {
    this.tables = [`${schema}.totals`];
  }

  async migrate(client: PoolClient): Promise<void> {
    await client.query(`CREATE TABLE IF NOT EXISTS ${this.tables[0]} (
      stream_id text PRIMARY KEY, version integer NOT NULL, total integer NOT NULL)`);
  }

  async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    if (event.type === 'Poison' && !this.fixed) {
      throw new RelateError('SPEC.POISON', 'validation', 'Cannot count this');
    }
    await client.query(
      `INSERT INTO ${this.tables[0]} AS t VALUES ($1, $2, $3)
       ON CONFLICT (stream_id) DO UPDATE
       SET version = EXCLUDED.version, total = t.total + EXCLUDED.total`,
      [event.streamId, event.streamVersion, (event.data as { n: number }).n],
    );
  }
}

function event(streamId: string, streamVersion: number, type = 'Counted'): EventEnvelope {
  return {
    id: randomUUID(),
    type,
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
    data: { n: streamVersion, email: 'jane.doe@example.com' },
  };
}

describe('operator endpoints: parked events and metrics', () => {
  const run = randomBytes(4).toString('hex');
  const service = `ops_${run}`;
  const topic = `spec.ops.${run}`;
  const brokers = (process.env.RELATE_TEST_KAFKA_BROKERS ?? '').split(',');
  let database: TestDatabase;
  let app: INestApplication;
  let publisher: EventPublisher;
  let projection: TotalsProjection;
  const poison = event('b', 1, 'Poison');
  const behind = event('b', 2);

  beforeAll(async () => {
    database = await createTestDatabase('parked_events_endpoints');
    projection = new TotalsProjection([topic], service);
    app = await createNestApp(
      PlatformModule.register({
        service,
        owns: 'contacts',
        errorNamespace: 'OPS',
        settings: {
          databaseUrl: database.url,
          kafkaBrokers: brokers,
          kafkaClientId: `ops-spec-${run}`,
          topics: { contacts: topic },
          logLevels: ['error'],
        },
        projections: () => [projection],
      }),
      ['error'],
    );
    await app.init();
    publisher = new EventPublisher({ brokers, clientId: `ops-spec-publisher-${run}` });
    await publisher.connect();
    await publisher.publish(topic, [event('a', 1), poison, event('a', 2), behind]);
  });

  afterAll(async () => {
    await publisher?.disconnect();
    await app?.close();
    await database?.drop();
  });

  const http = () => request(app.getHttpServer());

  async function parkedList(query = '') {
    return (await http().get(`/ops/parked-events${query}`).expect(200)).body;
  }

  it('lists parked events with their error and identity, never their data', async () => {
    const listed = await eventually(async () => {
      const body = await parkedList();

      return body.total === 2 ? body : undefined;
    }, 30_000);

    expect(listed).toMatchObject({ service, page: 1, total: 2 });
    expect(listed.items).toEqual([
      expect.objectContaining({
        projection: 'totals',
        eventId: poison.id,
        streamId: 'b',
        streamVersion: 1,
        eventType: 'Poison',
        topic,
        reason: 'failed',
        errorCode: 'SPEC.POISON',
        errorMessage: 'RelateError: Cannot count this',
        attempts: 4,
        status: 'parked',
      }),
      expect.objectContaining({
        eventId: behind.id,
        reason: 'waiting-behind-parked-event',
        blockedBy: poison.id,
        status: 'parked',
      }),
    ]);
    expect(JSON.stringify(listed)).not.toContain('jane.doe');
    const readModels = (await http().get('/ops/read-models').expect(200)).body.readModels;
    expect(readModels).toEqual([expect.objectContaining({ name: 'totals', parkedEvents: 2 })]);
    expect((await parkedList('?status=resolved')).items).toEqual([]);
    expect((await parkedList('?projection=other')).total).toBe(0);
    expect((await parkedList('?limit=1&page=2')).items).toEqual([
      expect.objectContaining({ eventId: behind.id }),
    ]);
    expect(await parkedList('?limit=1&page=3')).toMatchObject({ items: [], total: 2 });
    const invalid = await http().get('/ops/parked-events?status=lost&data=1').expect(400);
    expect(invalid.body.violations.map((v: { field: string }) => v.field).sort()).toEqual([
      'data',
      'status',
    ]);
  });

  it('answers bad paging, NUL characters and bad ids with a 400 naming the field', async () => {
    const fieldsOf = async (method: 'get' | 'post', path: string) =>
      (await http()[method](path).expect(400)).body.violations.map(
        (violation: { field: string }) => violation.field,
      );

    for (const query of ['limit=-5', 'limit=abc', 'limit=1.5', 'limit=501', 'limit=1&limit=2']) {
      expect(await fieldsOf('get', `/ops/parked-events?${query}`)).toEqual(['limit']);
    }
    expect(await fieldsOf('get', '/ops/parked-events?page=0')).toEqual(['page']);
    expect(await fieldsOf('get', '/ops/parked-events?page=99999999999')).toEqual(['page']);
    expect(await fieldsOf('get', '/ops/parked-events?projection=%00')).toEqual(['projection']);
    expect(await fieldsOf('post', '/ops/parked-events/%00/retry')).toEqual(['eventId']);
    expect(await fieldsOf('post', `/ops/parked-events/${'a'.repeat(1001)}/retry`)).toEqual([
      'eventId',
    ]);
    expect(await fieldsOf('post', `/ops/parked-events/${poison.id}/retry?projection=a%00`)).toEqual(
      ['projection'],
    );
  });

  it('serves the metrics in Prometheus text format', async () => {
    const response = await http().get('/ops/metrics').expect(200);

    expect(response.headers['content-type']).toMatch(/^text\/plain;.*version=0\.0\.4/);
    expect(response.text).toContain('# TYPE relate_projection_events_applied_total counter\n');
    expect(response.text).toContain(
      'relate_projection_events_applied_total{projection="totals"} 2',
    );
    expect(response.text).toContain(
      'relate_projection_events_parked_total{projection="totals",reason="failed"} 1',
    );
    expect(response.text).toContain('relate_parked_events_waiting{projection="totals"} 2');
    expect(response.text).toContain(`relate_outbox_hold_back_age_seconds{relay="${topic}"} 0`);
    expect(response.text).toContain(`relate_outbox_events_waiting{relay="${topic}"} 0`);
  });

  it('answers a failed retry with the error and leaves the events parked', async () => {
    const failed = await http().post(`/ops/parked-events/${poison.id}/retry`).expect(409);

    expect(failed.body).toMatchObject({
      code: 'PARKED_EVENTS.RETRY_FAILED',
      details: { errorCode: 'SPEC.POISON', eventId: poison.id },
    });
    expect((await parkedList('?status=parked')).total).toBe(2);
    const behindFirst = await http().post(`/ops/parked-events/${behind.id}/retry`).expect(409);
    expect(behindFirst.body).toMatchObject({
      code: 'PARKED_EVENTS.WAITING_BEHIND',
      details: { blockedBy: poison.id },
    });
    await http().post(`/ops/parked-events/${randomUUID()}/retry`).expect(404);
    await http().post(`/ops/parked-events/${poison.id}/retry?projection=nope`).expect(400);
  });

  it('applies the event and those behind it once after the fix, not twice', async () => {
    projection.fixed = true;

    const retried = await http()
      .post(`/ops/parked-events/${poison.id}/retry?projection=totals`)
      .expect(200);
    const again = await http().post(`/ops/parked-events/${poison.id}/retry`).expect(409);

    expect(retried.body).toEqual({
      service,
      projection: 'totals',
      eventId: poison.id,
      streamId: 'b',
      applied: [poison.id, behind.id],
      skipped: [],
    });
    expect(again.body.code).toBe('PARKED_EVENTS.ALREADY_RESOLVED');
    const { rows } = await app
      .get(Pool)
      .query(`SELECT stream_id, version, total FROM ${service}.totals ORDER BY stream_id`);
    expect(rows).toEqual([
      { stream_id: 'a', version: 2, total: 3 },
      { stream_id: 'b', version: 2, total: 3 },
    ]);
    expect((await parkedList('?status=resolved')).total).toBe(2);
    const metrics = (await http().get('/ops/metrics').expect(200)).text;
    expect(metrics).toContain('relate_parked_events_waiting{projection="totals"} 0');
    expect(metrics).toContain('relate_projection_events_applied_total{projection="totals"} 4');
  });
});
