import { MavenIds } from '../../../tools/import/src/import.ids';
import { MavenTables } from '../../../tools/import/src/import.plan';

/** The ids queries pick from, rotating sample by sample so that no one answer stays cached. */
export interface QueryIds {
  tenantId: string;
  pipelineId: string;
  repIds: string[];
  companyIds: string[];
}

export interface ScaleQuery {
  name: string;
  /** Whether its answer is a page (bounded) or an aggregate over every matching deal. */
  kind: 'page' | 'aggregate';
  /** The gateway path (under /api/v1) of sample `n`. */
  path(ids: QueryIds, n: number): string;
  /** The same question straight to the read model's tables, where one query can answer it. */
  baseline?: { describe: string; sql: string; values(ids: QueryIds, n: number): unknown[] };
}

export function queryIdsOf(tables: MavenTables, tenantId: string): QueryIds {
  return {
    tenantId,
    pipelineId: MavenIds.pipeline(),
    repIds: tables.teams.records.map(({ values }) => MavenIds.rep(values.sales_agent.trim())),
    companyIds: tables.accounts.records.map(({ values }) =>
      MavenIds.company(values.account.trim()),
    ),
  };
}

const pick = (items: string[], n: number) => items[(n * 7919) % items.length];
// One calendar year of the generated dates (they follow the Maven ones: 2016-10 to 2018-01).
const YEAR = ['2017-01-01', '2017-12-31'];

/** The pipeline summary, a filtered deal list, a company's timeline and the main reports. */
export const SCALE_QUERIES: readonly ScaleQuery[] = [
  {
    name: 'pipeline summary',
    kind: 'aggregate',
    path: (ids) => `/pipelines/${ids.pipelineId}/summary`,
    baseline: {
      describe: 'deals per stage and currency, count and sum, on pipeline.deals',
      sql: `SELECT stage_id, currency, count(*), sum(value) FROM pipeline.deals
             WHERE tenant_id = $1 AND pipeline_id = $2 GROUP BY stage_id, currency`,
      values: (ids) => [ids.tenantId, ids.pipelineId],
    },
  },
  {
    name: 'deal list: one owner, closing in March, 20 a page',
    kind: 'page',
    path: (ids, n) =>
      `/deals?ownerId=${pick(ids.repIds, n)}&closeFrom=2017-03-01&closeTo=2017-03-31&limit=20`,
    baseline: {
      describe: 'the same filter and order on pipeline.deals, first 20 rows',
      sql: `SELECT deal_id, title, stage_id, value, close_date FROM pipeline.deals
             WHERE tenant_id = $1 AND owner_id = $2
               AND close_date BETWEEN '2017-03-01' AND '2017-03-31'
             ORDER BY opened_at DESC, deal_id LIMIT 20`,
      values: (ids, n) => [ids.tenantId, pick(ids.repIds, n)],
    },
  },
  {
    name: "a company's timeline, 20 a page",
    kind: 'page',
    path: (ids, n) => `/companies/${pick(ids.companyIds, n)}/timeline?limit=20`,
    baseline: {
      describe: "the company's own changes on activities.record_changes, newest 20",
      sql: `SELECT at, type, event_id FROM activities.record_changes
             WHERE tenant_id = $1 AND record_type = 'company' AND record_id = $2
             ORDER BY at DESC, event_id DESC LIMIT 20`,
      values: (ids, n) => [ids.tenantId, pick(ids.companyIds, n)],
    },
  },
  {
    name: 'win-rate by rep, one year',
    kind: 'aggregate',
    path: () => `/reports/win-rate?from=${YEAR[0]}&to=${YEAR[1]}&groupBy=rep`,
    baseline: {
      describe: 'won and lost per owner closed in the year, on reporting.deals',
      sql: `SELECT owner_id, count(*) FILTER (WHERE status = 'won') AS won,
               count(*) FILTER (WHERE status = 'lost') AS lost
             FROM reporting.deals WHERE tenant_id = $1 AND status IN ('won', 'lost')
               AND closed_at >= $2::date AND closed_at < $3::date + 1
             GROUP BY owner_id`,
      values: (ids) => [ids.tenantId, ...YEAR],
    },
  },
  {
    name: 'revenue by product, one quarter',
    kind: 'aggregate',
    path: () => '/reports/revenue?from=2017-01-01&to=2017-03-31&groupBy=product',
    baseline: {
      describe: 'won deals and their sum per product in the quarter, on reporting.deals',
      sql: `SELECT product_id, count(*), sum(value) FROM reporting.deals
             WHERE tenant_id = $1 AND status = 'won'
               AND closed_at >= '2017-01-01' AND closed_at < '2017-04-01'
             GROUP BY product_id`,
      values: (ids) => [ids.tenantId],
    },
  },
  {
    name: 'sales-cycle by manager',
    kind: 'aggregate',
    path: () => '/reports/sales-cycle?groupBy=manager',
  },
  {
    name: 'forecast by sector',
    kind: 'aggregate',
    path: () => '/reports/forecast?groupBy=sector',
  },
  {
    name: 'stage-conversion by office',
    kind: 'aggregate',
    path: (ids) => `/reports/stage-conversion?pipelineId=${ids.pipelineId}&groupBy=office`,
  },
];
