import { DealListQuery, DealStatusFilter, DealView, Page } from '@relate/contracts';
import { numberOrNull, pagingOf, selectOne, selectPage, SqlFilter } from '@relate/service-kit';
import { Pool } from 'pg';

interface DealRow {
  deal_id: string;
  title: string;
  pipeline_id: string;
  stage_id: string;
  stage_name: string | null;
  status: DealStatusFilter;
  company_id: string | null;
  company_name: string | null;
  person_id: string | null;
  owner_id: string | null;
  product_id: string | null;
  value: string | null;
  currency: string;
  expected_close_date: string | null;
  opened_at: Date;
  closed_at: Date | null;
  lost_reason: string | null;
  version: number;
}

// Stage and company names come from their own read models; a deal shows without them.
const DEALS = `
  SELECT d.deal_id, d.title, d.pipeline_id, d.stage_id, d.status, d.company_id, d.person_id,
    d.owner_id, d.product_id, d.value, d.currency,
    to_char(d.expected_close_date, 'YYYY-MM-DD') AS expected_close_date,
    d.opened_at, d.closed_at, d.lost_reason, d.version,
    s.name AS stage_name, c.name AS company_name
  FROM pipeline.deals d
  LEFT JOIN pipeline.stages s
    ON s.tenant_id = d.tenant_id AND s.pipeline_id = d.pipeline_id AND s.stage_id = d.stage_id
  LEFT JOIN pipeline.company_names c
    ON c.tenant_id = d.tenant_id AND c.company_id = d.company_id`;

/** Filters of the deal list and the column each one tests. */
const EQUALITY_FILTERS = [
  ['pipelineId', 'd.pipeline_id'],
  ['stageId', 'd.stage_id'],
  ['ownerId', 'd.owner_id'],
  ['companyId', 'd.company_id'],
  ['status', 'd.status'],
] as const;

function toView(row: DealRow): DealView {
  return {
    id: row.deal_id,
    title: row.title,
    pipelineId: row.pipeline_id,
    stageId: row.stage_id,
    stageName: row.stage_name,
    status: row.status,
    companyId: row.company_id,
    companyName: row.company_name,
    personId: row.person_id,
    ownerId: row.owner_id,
    productId: row.product_id,
    value: numberOrNull(row.value),
    currency: row.currency,
    expectedCloseDate: row.expected_close_date,
    openedAt: row.opened_at.toISOString(),
    closedAt: row.closed_at?.toISOString() ?? null,
    lostReason: row.lost_reason,
    version: row.version,
  };
}

function filterOf(tenantId: string, query: DealListQuery): SqlFilter {
  const filter = SqlFilter.forTenant('d.tenant_id', tenantId);
  for (const [field, column] of EQUALITY_FILTERS) {
    filter.equalsIfGiven(column, query[field]);
  }
  if (query.closeFrom) {
    filter.bind(query.closeFrom, (from) => `d.close_date >= ${from}::date`);
  }
  if (query.closeTo) {
    filter.bind(query.closeTo, (to) => `d.close_date <= ${to}::date`);
  }

  return filter;
}

/** Reads of the deals read model; every query is scoped to one tenant. */
export class DealsRepository {
  constructor(private readonly pool: Pool) {}

  find(tenantId: string, dealId: string): Promise<DealView | undefined> {
    const sql = `${DEALS} WHERE d.tenant_id = $1 AND d.deal_id = $2`;

    return selectOne(this.pool, sql, [tenantId, dealId], toView);
  }

  list(tenantId: string, query: DealListQuery): Promise<Page<DealView>> {
    return selectPage(this.pool, {
      select: DEALS,
      countFrom: 'pipeline.deals d',
      filter: filterOf(tenantId, query),
      orderBy: 'd.opened_at DESC, d.deal_id',
      paging: pagingOf(query),
      toView,
    });
  }
}
