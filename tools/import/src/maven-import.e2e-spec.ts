import { join } from 'node:path';

import { DealView } from '@relate/contracts';

import { SummaryWait, waitForSummary } from './pipeline.summary';
import { ImportFixture } from './testing/import-fixture';
import { reportCases, reportMismatchesOnceCaughtUp } from './testing/maven-reports.check';
import { oracleRevenue, readMavenDeals } from './testing/maven-reports.oracle';

const FIXTURE = join(__dirname, '..', 'fixtures', 'maven-crm-small');

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stageCounts(wait: SummaryWait): Record<string, [number, number | null]> {
  const stages = wait.summary?.stages ?? [];

  return Object.fromEntries(stages.map((s) => [s.name, [s.dealCount, s.totalValue]]));
}

describe('Maven CRM import through the gateway', () => {
  const fixture = new ImportFixture('import_fixture', FIXTURE);

  it('imports the fixture, and the pipeline summary counts every deal in its stage', async () => {
    const outcome = await fixture.importOnce();
    const wait = await waitForSummary(fixture.client, outcome.pipelineId, outcome.completed, {
      timeoutMs: 30_000,
    });

    expect(outcome.failures).toEqual([]);
    expect(outcome.counts.deals).toEqual({ created: 11, existing: 0, failed: 0 });
    expect(outcome.counts.companies).toEqual({ created: 8, existing: 0, failed: 0 });
    expect(wait.complete).toBe(true);
    expect(stageCounts(wait)).toEqual({
      Prospecting: [2, fixture.plan.expected.Prospecting.totalValue],
      Engaging: [3, fixture.plan.expected.Engaging.totalValue],
      Won: [4, 588 + 4514 + 600 + 60],
      Lost: [2, fixture.plan.expected.Lost.totalValue],
    });
  });

  it('keeps business dates and the company of an imported deal', async () => {
    const dealId = fixture.plan.deals.find((d) => d.body.title.includes('FX0002BB'))!.body.id;
    // The company's name reaches the pipeline through Kafka: wait for it.
    const deal = await eventually(async () => {
      const view = await fixture.client.get<DealView>(`/deals/${dealId}`);

      return view?.companyName ? view : undefined;
    });
    const history = await fixture.client.get<Array<{ type: string; occurredAt: string }>>(
      `/deals/${dealId}/history`,
    );

    expect(deal).toMatchObject({ status: 'won', value: 4514, companyName: 'Bluth Company' });
    expect(history!.map((e) => e.occurredAt.slice(0, 10))).toEqual([
      '2016-10-25',
      '2016-10-25',
      '2017-03-11',
    ]);
  });

  it('answers every report as a computation straight over the CSV files does', async () => {
    const deals = readMavenDeals(FIXTURE);
    const cases = reportCases(deals, fixture.plan.pipeline.body.id);

    const mismatches = await reportMismatchesOnceCaughtUp(fixture.client, cases, 30_000);

    // The computation itself, against figures read off the fixture by hand.
    expect(oracleRevenue(deals, {})).toEqual([
      { group: 'All deals', wonDeals: 4, revenue: 5762, averageDealSize: 1440.5 },
    ]);
    expect(
      oracleRevenue(deals, { groupBy: 'manager' })
        .map((r) => r.group)
        .sort(),
    ).toEqual(['(no manager)', 'Dustin Brinkmann', 'Melvin Marxen']);
    expect(cases.length).toBeGreaterThan(90);
    expect(mismatches).toEqual([]);
  });

  it('creates nothing the second time', async () => {
    const eventsBefore = await fixture.stack.countEvents();

    const outcome = await fixture.importOnce();

    expect(outcome.counts.deals).toEqual({ created: 0, existing: 11, failed: 0 });
    expect(outcome.counts.reps.created + outcome.counts.companies.created).toBe(0);
    expect(outcome.steps.applied).toBe(0);
    expect(await fixture.stack.countEvents()).toBe(eventsBefore);
  });
});
