import { randomUUID } from 'node:crypto';

import { Client } from 'pg';

import { BACKEND_SERVICES, BackendService } from '@relate/config';
import type { ReadModelStatus } from '@relate/service-kit';

// The replay talks HTTP to each service; the spec starts them in-process behind a gateway, as
// `npm start` starts them as processes.
import { E2eStack, eventually, startE2eStack } from '../../../apps/gateway/src/testing/e2e-stack';
import { replay } from './replay.runner';

interface TableSum {
  table: string;
  rows: number;
  md5: string;
}

describe('replay: rebuilt read models equal the live ones', () => {
  let stack: E2eStack;
  let db: Client;
  const api = () => stack.as('a');

  beforeAll(async () => {
    stack = await startE2eStack('replay');
    db = new Client({ connectionString: stack.stack.database.url });
    await db.connect();
    await writeData(stack);
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  async function readModels(service: BackendService): Promise<ReadModelStatus[]> {
    const response = await fetch(`${stack.stack.serviceUrls[service]}/ops/read-models`);
    expect(response.status).toBe(200);

    return ((await response.json()) as { readModels: ReadModelStatus[] }).readModels;
  }

  /** Every projection and reactor of every service has read its topics to the end. */
  async function caughtUp(): Promise<boolean> {
    for (const service of BACKEND_SERVICES) {
      const models = await readModels(service);
      if (models.some(({ lag, status }) => lag !== 0 || status !== 'live')) {
        return false;
      }
    }

    return true;
  }

  /** Every event each service stored has been published by its outbox relay. */
  async function relayed(): Promise<boolean> {
    const { rows: stores } = await db.query<{ schema: string }>(
      `SELECT table_schema AS schema FROM information_schema.tables
       WHERE table_name = 'relay_checkpoints'`,
    );
    for (const { schema } of stores) {
      // The relay publishes in (transaction id, position) order and records the last it sent.
      const { rows } = await db.query<{ behind: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM "${schema}".events e
           WHERE (e.transaction_id, e.position) > (
             coalesce((SELECT max(transaction_id) FROM "${schema}".relay_checkpoints), '0'::xid8),
             coalesce((SELECT max(position) FROM "${schema}".relay_checkpoints), 0))) AS behind`,
      );
      if (rows[0].behind) {
        return false;
      }
    }

    return true;
  }

  /**
   * Waits until every stored event is on its topic and every read model has read its topics to
   * the end, twice in a row: reactors may append more events in between.
   */
  async function settle(): Promise<void> {
    const settled = async () => (await relayed()) && (await caughtUp());
    await eventually(
      async () => ((await settled()) && (await settled()) ? true : undefined),
      60_000,
    );
  }

  /** A checksum of every row of each replayable table of the service, in primary key order. */
  async function checksums(service: BackendService): Promise<TableSum[]> {
    const tables = (await readModels(service))
      .filter(({ kind }) => kind === 'projection')
      .flatMap(({ tables }) => tables)
      .sort();
    const sums: TableSum[] = [];
    for (const table of tables) {
      const key = await primaryKey(table);
      const { rows } = await db.query<{ rows: number; md5: string }>(
        `SELECT count(*)::int AS rows,
           md5(coalesce(string_agg(t::text, E'\\n' ORDER BY ${key.join(', ')}), '')) AS md5
         FROM ${table} t`,
      );
      sums.push({ table, ...rows[0] });
    }

    return sums;
  }

  async function primaryKey(table: string): Promise<string[]> {
    const { rows } = await db.query<{ column: string }>(
      `SELECT a.attname AS column FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
       WHERE i.indrelid = $1::regclass AND i.indisprimary
       ORDER BY array_position(i.indkey, a.attnum)`,
      [table],
    );
    // Every read model table needs a primary key, or its order (and checksum) is not defined.
    expect({ table, key: rows.length > 0 }).toEqual({ table, key: true });

    return rows.map(({ column }) => `"${column}"`);
  }

  it('declares the tables of every projection; reactors are the ones not replayable', async () => {
    await settle();
    for (const service of BACKEND_SERVICES) {
      for (const model of await readModels(service)) {
        const declared = model.kind === 'reactor' || model.tables.length > 0;
        expect({ service, name: model.name, declared }).toEqual({
          service,
          name: model.name,
          declared: true,
        });
        expect(model).toMatchObject({ generation: 0, status: 'live', running: true });
      }
    }
  });

  it('rebuilds every service and gets the same rows, repairing a damaged one', async () => {
    await settle();
    const live = Object.fromEntries(
      await Promise.all(BACKEND_SERVICES.map(async (s) => [s, await checksums(s)] as const)),
    );
    expect(live.contacts.every(({ rows }) => rows > 0)).toBe(true);
    expect(live.pipeline.find(({ table }) => table === 'pipeline.deals')?.rows).toBeGreaterThan(0);

    // Damage: rows the rebuild must put back as the events say.
    await db.query(`UPDATE contacts.companies SET name = 'damaged' WHERE name = 'Globex'`);
    await db.query(`DELETE FROM pipeline.deals WHERE title = 'Lost deal'`);
    expect(await checksums('contacts')).not.toEqual(live.contacts);
    expect(await checksums('pipeline')).not.toEqual(live.pipeline);

    const lines: string[] = [];
    const outcomes = await Promise.all(
      BACKEND_SERVICES.map((service) =>
        replay({
          service,
          url: stack.stack.serviceUrls[service],
          pollMs: 100,
          timeoutMs: 60_000,
          write: (line) => lines.push(line),
        }),
      ),
    );
    await settle();

    for (const service of BACKEND_SERVICES) {
      expect({ service, sums: await checksums(service) }).toEqual({ service, sums: live[service] });
      for (const model of await readModels(service)) {
        expect(model).toMatchObject(
          model.kind === 'projection'
            ? {
                generation: 1,
                status: 'live',
                running: true,
                group: expect.stringMatching(/\.g1$/),
              }
            : { generation: 0, status: 'live', running: true, rebuild: null },
        );
      }
    }
    expect(outcomes.every(({ readModels }) => readModels.length > 0)).toBe(true);
    expect(lines.filter((line) => line.startsWith('Rebuilt '))).toHaveLength(5);
  }, 120_000);

  it('keeps the rebuilt read models live: a new write shows up in them', async () => {
    const companyId = randomUUID();
    const created = await api().post('/companies', { id: companyId, name: 'After rebuild' });
    expect(created.status).toBe(201);

    const read = await api()
      .get(`/companies/${companyId}?consistency=${created.body.consistencyToken}`)
      .expect(200);
    expect(read.body.name).toBe('After rebuild');
  });

  it('refuses to rebuild a reactor or an unknown projection, naming it', async () => {
    const post = (service: BackendService, projections: string[]) =>
      fetch(`${stack.stack.serviceUrls[service]}/ops/read-models/rebuild`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ projections }),
      });
    const unknown = await post('contacts', ['nope']);
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { violations: unknown }).violations).toEqual([
      { field: 'projections[0]', reason: 'unknown projection nope' },
    ]);
    for (const service of BACKEND_SERVICES) {
      const reactor = (await readModels(service)).find(({ kind }) => kind === 'reactor');
      if (reactor !== undefined) {
        const refused = await post(service, [reactor.name]);
        expect(refused.status).toBe(400);
      }
    }
  });

  it('is not reachable through the gateway', async () => {
    await api().get('/ops/read-models').expect(404);
    await stack.as('a').post('/ops/read-models/rebuild').expect(404);
  });
});

/** Some of everything, through the public API: every service's read models get rows. */
async function writeData(stack: E2eStack): Promise<void> {
  const api = stack.as('a');
  const ok = async (test: Promise<{ status: number; body: unknown }>) => {
    const response = await test;
    if (response.status >= 300) {
      throw new Error(`setup call failed: ${response.status} ${JSON.stringify(response.body)}`);
    }

    return response.body as { id: string };
  };
  const repId = randomUUID();
  const pipelineId = randomUUID();
  const stage = { lead: randomUUID(), demo: randomUUID(), won: randomUUID(), lost: randomUUID() };
  const companyId = randomUUID();
  const personId = randomUUID();
  await ok(api.post('/reps', { id: repId, name: 'Dana Rep', regionalOffice: 'East' }));
  await ok(api.post('/reps', { name: 'Other Rep', manager: 'Mia', regionalOffice: 'West' }));
  await ok(api.post('/companies', { id: companyId, name: 'Globex Corp', ownerId: repId }));
  await ok(api.post('/companies', { name: 'Initech', sector: 'software' }));
  await ok(api.patch(`/companies/${companyId}`, { name: 'Globex' }));
  await ok(
    api.post('/people', { id: personId, firstName: 'Ada', lastName: 'Lovelace', companyId }),
  );
  await ok(api.post('/products', { name: 'GTX Pro', series: 'GTX', listPrice: 4821 }));
  await ok(
    api.post('/pipelines', {
      id: pipelineId,
      name: 'Sales',
      stages: [
        { id: stage.lead, name: 'Lead', kind: 'open' },
        { id: stage.demo, name: 'Demo', kind: 'open', probability: 50 },
        { id: stage.won, name: 'Won', kind: 'won' },
        { id: stage.lost, name: 'Lost', kind: 'lost' },
      ],
    }),
  );
  await ok(
    api.post('/rules', {
      name: 'Demo follow-up',
      trigger: { eventType: 'DealMovedToStage', toStageId: stage.demo },
      actions: [
        { type: 'createTask', title: 'Call about {{deal.title}}', dueInDays: 2, assignTo: 'owner' },
        { type: 'notify', users: ['owner'], message: '{{deal.title}} reached the demo' },
      ],
    }),
  );
  const deal = async (title: string, value: number) =>
    (
      await ok(
        api.post('/deals', {
          title,
          pipelineId,
          value,
          companyId,
          personId,
          ownerId: repId,
          expectedCloseDate: '2026-06-30',
          occurredAt: '2025-01-10T09:00:00Z',
        }),
      )
    ).id;
  const won = await deal('Won deal', 1200);
  const lost = await deal('Lost deal', 800);
  await deal('Open deal', 300);
  await ok(
    api.post(`/deals/${won}/stage`, { stageId: stage.demo, occurredAt: '2025-02-01T00:00:00Z' }),
  );
  await ok(api.post(`/deals/${won}/won`, { value: 1500, occurredAt: '2025-03-05T12:00:00Z' }));
  await ok(
    api.post(`/deals/${lost}/lost`, { reason: 'Price', occurredAt: '2025-03-06T00:00:00Z' }),
  );
}
