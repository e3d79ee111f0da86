import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { Report } from '@relate/contracts';

import { REPO_ROOT } from './import.config';
import { waitForSummary } from './pipeline.summary';
import { ImportFixture } from './testing/import-fixture';
import { reportCases, reportMismatchesOnceCaughtUp } from './testing/maven-reports.check';
import { readMavenDeals } from './testing/maven-reports.oracle';

/** The real data set sits beside the repository on machines that have it; it is not committed. */
const DATA_SET = join(REPO_ROOT, '..', 'shared', 'data', 'maven-crm');
const describeWhenDataExists = existsSync(join(DATA_SET, 'sales_pipeline.csv'))
  ? describe
  : describe.skip;

describeWhenDataExists('Maven CRM import of the whole data set', () => {
  const fixture = new ImportFixture('import_full', DATA_SET);

  it('counts 4238 won, 2473 lost, 1589 engaging and 500 prospecting deals', async () => {
    const outcome = await fixture.importOnce();
    const wait = await waitForSummary(fixture.client, outcome.pipelineId, outcome.completed, {
      timeoutMs: 120_000,
    });
    const stages = Object.fromEntries(wait.summary!.stages.map((s) => [s.name, s]));

    expect(fixture.plan.problems).toEqual([]);
    expect(outcome.failures).toEqual([]);
    expect(wait.complete).toBe(true);
    expect(stages.Won).toMatchObject({ dealCount: 4238, totalValue: 10_005_534 });
    expect(stages.Lost.dealCount).toBe(2473);
    expect(stages.Engaging.dealCount).toBe(1589);
    expect(stages.Prospecting.dealCount).toBe(500);
    expect(wait.summary!.totals.dealCount).toBe(8800);
  }, 900_000);

  it('answers every report as a computation straight over the CSV files does', async () => {
    const cases = reportCases(readMavenDeals(DATA_SET), fixture.plan.pipeline.body.id);

    const mismatches = await reportMismatchesOnceCaughtUp(fixture.client, cases, 240_000);
    const figures = await Promise.all(
      ['win-rate', 'revenue', 'sales-cycle', 'revenue?groupBy=rep'].map((path) =>
        fixture.client.get<Report<Record<string, unknown>>>(`/reports/${path}`),
      ),
    );
    const [rate, revenue, cycle, byRep] = figures.map((report) => report!.rows);
    const top = [...byRep].sort((a, b) => Number(b.revenue) - Number(a.revenue)).slice(0, 3);

    expect(mismatches).toEqual([]);
    expect(rate).toEqual([expect.objectContaining({ won: 4238, lost: 2473, winRate: 0.6315 })]);
    expect(revenue).toEqual([
      expect.objectContaining({ wonDeals: 4238, revenue: 10_005_534, averageDealSize: 2360.91 }),
    ]);
    expect(cycle).toEqual([
      expect.objectContaining({ meanDays: 51.78, medianDays: 57, p75Days: 88, p90Days: 106 }),
    ]);
    expect(top.map((row) => [row.group, row.revenue])).toEqual([
      ['Darcel Schlecht', 1_153_214],
      ['Vicki Laflamme', 478_396],
      ['Kary Hendrixson', 454_298],
    ]);
  }, 400_000);

  it('creates nothing new when run again', async () => {
    const eventsBefore = await fixture.stack.countEvents();

    const outcome = await fixture.importOnce();

    expect(outcome.counts.deals).toEqual({ created: 0, existing: 8800, failed: 0 });
    expect(outcome.steps.applied).toBe(0);
    expect(await fixture.stack.countEvents()).toBe(eventsBefore);
  }, 900_000);
});
