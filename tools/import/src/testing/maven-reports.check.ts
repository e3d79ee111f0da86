import { Report } from '@relate/contracts';

import { RelateClient } from '../relate.client';
import {
  OracleDeal,
  OracleRange,
  oracleForecast,
  oracleLeadSources,
  oracleRevenue,
  oracleSalesCycle,
  oracleStageConversion,
  oracleWinRate,
} from './maven-reports.oracle';

type Row = Record<string, unknown>;

export interface ReportCase {
  /** The gateway path of the report, with its query. */
  path: string;
  /** The rows the CSV computation gives. */
  expected: Row[];
}

const GROUPINGS = ['rep', 'manager', 'office', 'product', 'sector', 'source', 'month'] as const;

function query(range: OracleRange, extra = ''): string {
  const parts = Object.entries(range).map(([name, value]) => `${name}=${value}`);

  return [...parts, extra].filter(Boolean).join('&');
}

/**
 * Each report, for every grouping and a few ranges, with the rows the CSV computation expects.
 * Stage conversion of Prospecting deals needs no range (they open at import time); the forecast
 * has no dated deals in this data set, so it is checked without a range.
 */
export function reportCases(deals: OracleDeal[], pipelineId: string): ReportCase[] {
  const ranges: OracleRange[] = [
    {},
    { from: '2017-01-01', to: '2017-06-30' },
    { from: '2017-10-01' },
  ];
  const cases: ReportCase[] = [];
  for (const groupBy of [undefined, ...GROUPINGS]) {
    for (const base of ranges) {
      const r: OracleRange = groupBy === undefined ? base : { ...base, groupBy };
      cases.push(
        { path: `/reports/win-rate?${query(r)}`, expected: oracleWinRate(deals, r) },
        { path: `/reports/revenue?${query(r)}`, expected: oracleRevenue(deals, r) },
        {
          path: `/reports/sales-cycle?${query(r)}`,
          expected: oracleSalesCycle(deals, r, 'Won'),
        },
      );
    }
    const r: OracleRange = groupBy === undefined ? {} : { groupBy };
    const lost: OracleRange = { ...r, from: '2017-01-01', to: '2017-12-31' };
    cases.push(
      {
        path: `/reports/sales-cycle?${query(lost, 'outcome=lost')}`,
        expected: oracleSalesCycle(deals, lost, 'Lost'),
      },
      { path: `/reports/forecast?${query(r)}`, expected: oracleForecast(deals, r) },
    );
    if (groupBy !== 'month') {
      cases.push({
        path: `/reports/stage-conversion?${query(r, `pipelineId=${pipelineId}`)}`,
        expected: oracleStageConversion(deals, r),
      });
    }
    const dated: OracleRange = { ...r, from: '2016-11-01', to: '2017-03-31' };
    cases.push({
      path: `/reports/stage-conversion?${query(dated, `pipelineId=${pipelineId}`)}`,
      expected: oracleStageConversion(deals, dated),
    });
  }
  for (const r of ranges) {
    cases.push({
      path: `/reports/lead-sources?${query(r)}`,
      expected: oracleLeadSources(deals, r),
    });
  }

  return cases;
}

/** The API's rows reduced to the fields the CSV computation gives, in a comparable order. */
export function comparable(rows: Row[], fields: string[]): Row[] {
  return sortByGroup(rows.map((row) => Object.fromEntries(fields.map((f) => [f, row[f]]))));
}

export function sortByGroup(rows: Row[]): Row[] {
  // Stable: the stages of one group keep their pipeline order.
  return [...rows].sort((a, b) =>
    String(a.group) < String(b.group) ? -1 : String(a.group) > String(b.group) ? 1 : 0,
  );
}

/** Every case whose report differs from the CSV computation, with both row sets. */
export async function reportMismatches(client: RelateClient, cases: ReportCase[]) {
  const mismatches: Array<{ path: string; actual: Row[]; expected: Row[] }> = [];
  // A few at a time: the database and the services overlap their work on a 2-core machine.
  for (let start = 0; start < cases.length; start += 4) {
    const batch = cases.slice(start, start + 4);
    const reports = await Promise.all(batch.map(({ path }) => client.get<Report>(path)));
    batch.forEach(({ path, expected }, index) => {
      const fields = expected.length === 0 ? [] : Object.keys(expected[0]);
      const actual = comparable(reports[index]?.rows ?? [], fields);
      const wanted = sortByGroup(expected);
      if (JSON.stringify(actual) !== JSON.stringify(wanted)) {
        mismatches.push({ path, actual, expected: wanted });
      }
    });
  }

  return mismatches;
}

/**
 * Waits until the reporting read models have caught up with the import (the win rate by rep,
 * sector and product, and the forecast and stage conversion of every deal equal the
 * computation: closed and open deals, reps and companies are all in), then compares every case
 * once. Closed deals alone are not enough: the import opens the open ones last.
 */
export async function reportMismatchesOnceCaughtUp(
  client: RelateClient,
  cases: ReportCase[],
  timeoutMs: number,
) {
  const probes = cases.filter(
    (c) =>
      /^\/reports\/win-rate\?(groupBy=(rep|sector|product))?$/.test(c.path) ||
      /^\/reports\/(forecast\?|stage-conversion\?pipelineId=[0-9a-f-]+)$/.test(c.path),
  );
  const deadline = Date.now() + timeoutMs;
  while ((await reportMismatches(client, probes)).length > 0 && Date.now() < deadline) {
    // Reports over every deal are heavy: probing without a pause slows the very projection
    // that is catching up, when reporting shares its process (the in-process test stack).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }

  return reportMismatches(client, cases);
}
