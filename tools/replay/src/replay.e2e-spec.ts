import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

import { Client } from 'pg';

import { BACKEND_SERVICES, BackendService } from '@relate/config';

// The replay talks HTTP to each service; the spec starts them in-process behind a gateway, as
// `npm start` starts them as processes.
import { E2eStack, startE2eStack } from '../../../apps/gateway/src/testing/e2e-stack';
import { replay } from './replay.runner';
import { ReadModelProbe } from './testing/read-model-probe';

describe('replay: rebuilt read models equal the live ones', () => {
  let stack: E2eStack;
  let db: Client;
  let probe: ReadModelProbe;
  const api = () => stack.as('a');

  beforeAll(async () => {
    stack = await startE2eStack('replay');
    db = new Client({ connectionString: stack.stack.database.url });
    await db.connect();
    probe = new ReadModelProbe(db, stack.stack.serviceUrls);
    await writeData(stack);
  }, 120_000);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  const readModels = (service: BackendService) => probe.readModels(service);
  const settle = () => probe.settle();
  const checksums = (service: BackendService) => probe.checksums(service);

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
      // A rebuild drops a projection's tables: no two may own one.
      const tables = (await readModels(service)).flatMap((model) => model.tables);
      expect({ service, tables: [...new Set(tables)].sort() }).toEqual({
        service,
        tables: tables.sort(),
      });
    }
  });

  it('rebuilds every service and gets the same rows, repairing a damaged one', async () => {
    await settle();
    const live = Object.fromEntries(
      await Promise.all(BACKEND_SERVICES.map(async (s) => [s, await checksums(s)] as const)),
    );
    for (const service of BACKEND_SERVICES) {
      const filled = live[service].filter(({ rows }) => rows > 0).length;
      expect({ service, filled: filled > 0 }).toEqual({ service, filled: true });
    }
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

  it('runs as npm run replay: rebuilds and exits 0, or says why and exits non-zero', async () => {
    const done = await cli(['pipeline', '--url', stack.stack.serviceUrls.pipeline]);
    const unknown = await cli(['billing']);
    const closed = await cli(['contacts', '--url', `http://127.0.0.1:${await closedPort()}`]);

    expect(done.code).toBe(0);
    expect(done.output).toMatch(/Rebuilding 4 read models of pipeline/);
    expect(done.output).toMatch(/ {2}pipeline-deals: \d+ events in \d+\.\d s/);
    expect(done.output).toMatch(/Rebuilt 4 read models of pipeline in/);
    expect(unknown).toMatchObject({ code: 2, output: expect.stringMatching(/unknown service/) });
    expect(unknown.output).toMatch(/contacts\|pipeline\|activities\|automation\|reporting/);
    expect(closed.code).toBe(1);
    expect(closed.output).toMatch(/start Relate with npm start first/);
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
    api.post('/email-templates', {
      name: 'Demo booked',
      subject: 'Demo for {{deal.title}}',
      body: 'See you there',
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
  const call = await ok(
    api.post('/activities', {
      kind: 'call',
      occurredAt: '2026-01-10T09:30:00+01:00',
      direction: 'outbound',
      outcome: 'connected',
      durationMinutes: 12,
      personId,
      dealId: won,
    }),
  );
  await ok(api.patch(`/activities/${call.id}`, { outcome: 'left-voicemail' }));
  const note = await ok(
    api.post('/activities', { kind: 'note', occurredAt: '2026-01-12T15:00:00Z', companyId }),
  );
  await ok(api.delete(`/activities/${note.id}`));
  const task = await ok(
    api.post('/tasks', { title: 'Send the quote', dueAt: '2026-02-01T10:00:00Z', dealId: won }),
  );
  await ok(api.post(`/tasks/${task.id}/complete`, { outcome: 'Sent' }));
  await ok(api.post(`/tasks/${task.id}/reopen`));
  await ok(api.post(`/tasks/${task.id}/reschedule`, { dueAt: '2026-02-03T10:00:00Z' }));
  await ok(api.post(`/tasks/${task.id}/assign`, { assigneeId: 'rep-b' }));
}

/** The command line as npm runs it; its exit code and everything it wrote. */
async function cli(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', 'tools/replay/src/main.ts', ...args],
    { cwd: resolve(__dirname, '..', '..', '..'), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((done) => child.once('exit', done));

  return { code, output };
}

/** A loopback port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));

  return port;
}
