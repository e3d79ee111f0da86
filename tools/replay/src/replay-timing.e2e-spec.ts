import { join } from 'node:path';

import { Client } from 'pg';

import { BACKEND_SERVICES } from '@relate/config';

import { ServiceStack, startServiceStack } from '../../../apps/gateway/src/testing/service-stack';
import { REPO_ROOT } from '../../import/src/import.config';
import { planImport } from '../../import/src/import.planner';
import { runImport } from '../../import/src/import.runner';
import { readMavenTables } from '../../import/src/maven.files';
import { ProgressReporter } from '../../import/src/progress.reporter';
import { RelateClient } from '../../import/src/relate.client';
import { replay, ReplayOutcome } from './replay.runner';
import { ReadModelProbe } from './testing/read-model-probe';

/**
 * The small Maven fixture by default, so that the spec stays fast; point RELATE_REPLAY_DATA at
 * a folder (e.g. ../shared/data/maven-crm) to time the rebuilds on the whole data set.
 */
const DATA =
  process.env.RELATE_REPLAY_DATA ?? join(REPO_ROOT, 'tools/import/fixtures/maven-crm-small');
const LONG = 1_800_000;

describe('replay after a Maven CRM import', () => {
  let stack: ServiceStack;
  let db: Client;
  let probe: ReadModelProbe;

  beforeAll(async () => {
    stack = await startServiceStack({ label: 'replay_timing' });
    db = new Client({ connectionString: stack.database.url });
    await db.connect();
    probe = new ReadModelProbe(db, stack.serviceUrls);
    const client = new RelateClient({ baseUrl: stack.gatewayUrl, apiKey: stack.tenants.a.key });
    const plan = planImport(await readMavenTables(DATA));
    const outcome = await runImport(plan, client, {
      concurrency: 16,
      progress: new ProgressReporter(() => undefined),
    });
    expect(outcome.failures).toEqual([]);
  }, LONG);

  afterAll(async () => {
    await db?.end();
    await stack?.stop();
  });

  it(
    'rebuilds each service, one after the other, to the same rows',
    async () => {
      await probe.settle(LONG);
      const lines: string[] = [];
      const outcomes: Array<[string, ReplayOutcome]> = [];
      for (const service of BACKEND_SERVICES) {
        const live = await probe.checksums(service);
        const outcome = await replay({
          service,
          url: stack.serviceUrls[service],
          pollMs: 200,
          timeoutMs: LONG,
          write: (line) => lines.push(line),
        });
        await probe.settle(LONG);

        expect({ service, sums: await probe.checksums(service) }).toEqual({ service, sums: live });
        outcomes.push([service, outcome]);
      }

      // The figures for the README: events applied and time per read model and per service.
      process.stdout.write(`replay timing on ${DATA}\n${lines.join('\n')}\n`);
      expect(outcomes).toHaveLength(BACKEND_SERVICES.length);
    },
    LONG,
  );
});
