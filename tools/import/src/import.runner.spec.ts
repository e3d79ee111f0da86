import { join } from 'node:path';

import { ImportPlan } from './import.plan';
import { planImport } from './import.planner';
import { formatReport } from './import.report';
import { runImport } from './import.runner';
import { readMavenTables } from './maven.files';
import { waitForSummary } from './pipeline.summary';
import { ProgressReporter } from './progress.reporter';
import { RelateClient } from './relate.client';
import { FakeRelateApi } from './relate-api.fake';

const FIXTURE = join(__dirname, '..', 'fixtures', 'maven-crm-small');
const noSleep = () => Promise.resolve();

describe('runImport', () => {
  let plan: ImportPlan;
  let api: FakeRelateApi;
  let client: RelateClient;
  const lines: string[] = [];
  const run = () =>
    runImport(plan, client, {
      concurrency: 4,
      progress: new ProgressReporter((line) => lines.push(line)),
      sleep: noSleep,
    });

  beforeEach(async () => {
    plan = planImport(await readMavenTables(FIXTURE));
    api = new FakeRelateApi();
    client = new RelateClient({
      baseUrl: 'http://127.0.0.1:1',
      apiKey: 'k',
      fetch: api.fetch,
      sleep: noSleep,
    });
  });

  it('creates everything once and moves each deal to its final stage', async () => {
    const outcome = await run();
    const summary = await waitForSummary(client, outcome.pipelineId, outcome.completed, {
      timeoutMs: 0,
    });

    expect(outcome.counts.deals).toEqual({ created: 11, existing: 0, failed: 0 });
    expect(outcome.counts.companies).toEqual({ created: 8, existing: 0, failed: 0 });
    expect(outcome.failures).toEqual([]);
    expect(summary.complete).toBe(true);
    expect(summary.summary!.stages.map((s) => [s.name, s.dealCount, s.totalValue])).toEqual([
      ['Prospecting', 2, plan.expected.Prospecting.totalValue],
      ['Engaging', 3, plan.expected.Engaging.totalValue],
      ['Won', 4, 5762],
      ['Lost', 2, plan.expected.Lost.totalValue],
    ]);
  });

  it('registers a parent company before its subsidiary', async () => {
    await run();
    const posts = api.calls.filter((c) => c === 'POST /companies');
    const order = [...api.records.get('companies')!.values()].map((c) => c.name);

    expect(posts).toHaveLength(8);
    expect(order.indexOf('Massive Dynamic')).toBeLessThan(order.indexOf('Cheers'));
  });

  it('creates nothing and sends no step the second time', async () => {
    await run();
    const callsBefore = api.calls.length;
    const outcome = await run();
    const secondRun = api.calls.slice(callsBefore);

    expect(outcome.counts.deals).toEqual({ created: 0, existing: 11, failed: 0 });
    expect(outcome.steps).toEqual({ applied: 0, alreadyDone: 15 });
    expect(secondRun.filter((c) => /\/(stage|won|lost)$/.test(c))).toEqual([]);
  });

  it('applies only the missing steps of a deal an earlier run left half done', async () => {
    await run();
    const deals = api.records.get('deals')!;
    const won = [...deals.values()].find((d) => String(d.title).includes('FX0001AA'))!;
    won.stageId = plan.pipeline.body.stages[1].id;
    won.closed = false;

    const outcome = await run();

    expect(outcome.steps).toEqual({ applied: 1, alreadyDone: 14 });
    expect(won.stageId).toBe(plan.pipeline.body.stages[2].id);
  });

  it('sends no deal request at all when the list shows every deal complete', async () => {
    await run();
    const callsBefore = api.calls.length;
    await run();

    expect(api.calls.slice(callsBefore).filter((c) => c.includes('/deals/'))).toEqual([]);
    expect(api.calls.slice(callsBefore).filter((c) => c === 'POST /deals')).toEqual([]);
  });

  it('falls back to reading one deal when the list has not seen it yet', async () => {
    await run();
    const fetchThrough = api.fetch;
    const lagging: typeof fetch = async (input, init) =>
      String(input).includes('/deals?')
        ? new Response(JSON.stringify({ items: [], page: 1, limit: 500, total: 0 }))
        : fetchThrough(input, init);
    client = new RelateClient({ baseUrl: 'http://h', apiKey: 'k', fetch: lagging, sleep: noSleep });

    const outcome = await run();

    expect(outcome.counts.deals).toEqual({ created: 0, existing: 11, failed: 0 });
    expect(outcome.steps).toEqual({ applied: 0, alreadyDone: 15 });
    expect(api.calls.filter((c) => /^GET \/deals\/[^/]+$/.test(c))).toHaveLength(11);
  });

  it('reports a row the API refuses with its line, and goes on', async () => {
    const fetchThrough = api.fetch;
    const refusing: typeof fetch = async (input, init) => {
      if (String(init?.body).includes('FX0006FF')) {
        const body = { error: 'VALIDATION_FAILED', violations: [{ field: 'title', reason: 'x' }] };

        return new Response(JSON.stringify(body), { status: 400 });
      }

      return fetchThrough(input, init);
    };
    client = new RelateClient({
      baseUrl: 'http://h',
      apiKey: 'k',
      fetch: refusing,
      sleep: noSleep,
    });

    const outcome = await run();

    expect(outcome.failures).toEqual([
      { file: 'sales_pipeline.csv', line: 7, reason: '400 VALIDATION_FAILED title: x' },
    ]);
    expect(outcome.counts.deals).toEqual({ created: 10, existing: 0, failed: 1 });
  });

  it('stops when the gateway cannot be reached at all', async () => {
    const down: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    client = new RelateClient({ baseUrl: 'http://h', apiKey: 'k', fetch: down, sleep: noSleep });

    await expect(run()).rejects.toThrow('fetch failed');
  });

  it('prints adjustments, problems and the summary in its report', async () => {
    const outcome = await run();
    const wait = await waitForSummary(client, outcome.pipelineId, outcome.completed, {
      timeoutMs: 0,
    });
    const report = formatReport({ folder: 'fixtures', plan, outcome, importMs: 1200, wait });

    expect(report).toContain('2 deals      product "GTXPro" read as "GTX Pro"');
    expect(report).toContain('1 company    office location "Philipines" read as "Philippines"');
    expect(report).toContain('sales_pipeline.csv:11 skipped: deal_stage "Closed"');
    expect(report).toMatch(/Won\s+won\s+4\s+5,762/);
    expect(report).toContain('Imported in 1.2 s');
  });
});
