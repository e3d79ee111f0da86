import { Pool } from 'pg';

import { DealFact, StageFact } from './report.calculations';

interface DealRow {
  deal_id: string;
  title: string;
  pipeline_id: string;
  stage_id: string;
  status: 'open' | 'won' | 'lost';
  owner_id: string | null;
  rep_name: string | null;
  manager: string | null;
  regional_office: string | null;
  product_id: string | null;
  product_name: string | null;
  sector: string | null;
  lead_source: string | null;
  value: string | null;
  currency: string;
  expected_close_date: string | null;
  opened_at: string;
  closed_at: string | null;
  entered_stage_ids: string[];
  entered_at: string[];
}

interface StageRow {
  pipeline_id: string;
  pipeline_name: string;
  stage_id: string;
  position: number;
  name: string;
  kind: 'open' | 'won' | 'lost';
  probability: string | null;
}

// The rep, company and person attributes are joined when a report is asked, so that a report
// always shows their latest values. A deal's lead source: its person's, else its company's.
// Times as ISO 8601 UTC text straight from SQL: no Date parsing of some 30,000 values.
const ISO = (column: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

// A deal's stage entries, as arrays in stream order: for every deal of the tenant in one grouped
// pass, or, when a filter keeps fewer deals, per kept deal by the primary key (LATERAL), so that
// a report reads only the entries of the deals it counts.
const ENTRY_ARRAYS = `array_agg(x.stage_id ORDER BY x.stream_version) AS stage_ids,
      array_agg(${ISO('x.entered_at')} ORDER BY x.stream_version) AS entered_at`;
const ALL_ENTRIES = `LEFT JOIN (
    SELECT x.deal_id, ${ENTRY_ARRAYS}
    FROM reporting.deal_stage_entries x
    WHERE x.tenant_id = $1
    GROUP BY x.deal_id
  ) e ON e.deal_id = d.deal_id`;
const KEPT_ENTRIES = `LEFT JOIN LATERAL (
    SELECT ${ENTRY_ARRAYS}
    FROM reporting.deal_stage_entries x
    WHERE x.tenant_id = d.tenant_id AND x.deal_id = d.deal_id
  ) e ON true`;

// Days are UTC days, both included.
const DEALS = (entries: string) => `
  SELECT d.deal_id, d.title, d.pipeline_id, d.stage_id, d.status, d.owner_id,
    r.name AS rep_name, r.manager, r.regional_office, d.product_id, pr.name AS product_name,
    c.sector, coalesce(pe.lead_source, c.lead_source) AS lead_source,
    d.value::text AS value, d.currency, to_char(d.expected_close_date, 'YYYY-MM-DD')
      AS expected_close_date, ${ISO('d.opened_at')} AS opened_at,
    ${ISO('d.closed_at')} AS closed_at,
    coalesce(e.stage_ids, '{}') AS entered_stage_ids, coalesce(e.entered_at, '{}') AS entered_at
  FROM reporting.deals d
  LEFT JOIN reporting.sales_reps r ON r.tenant_id = d.tenant_id AND r.sales_rep_id = d.owner_id
  LEFT JOIN reporting.products pr ON pr.tenant_id = d.tenant_id AND pr.product_id = d.product_id
  LEFT JOIN reporting.companies c ON c.tenant_id = d.tenant_id AND c.company_id = d.company_id
  LEFT JOIN reporting.people pe ON pe.tenant_id = d.tenant_id AND pe.person_id = d.person_id
  ${entries}
  WHERE d.tenant_id = $1 AND ($2::text IS NULL OR d.pipeline_id = $2)
    AND ($3::text[] IS NULL OR d.status = ANY($3::text[]))
    AND ($4::date IS NULL OR d.closed_at >= $4::date::timestamp AT TIME ZONE 'UTC')
    AND ($5::date IS NULL OR d.closed_at < ($5::date + 1)::timestamp AT TIME ZONE 'UTC')
    AND ($6::date IS NULL OR d.opened_at >= $6::date::timestamp AT TIME ZONE 'UTC')
    AND ($7::date IS NULL OR d.opened_at < ($7::date + 1)::timestamp AT TIME ZONE 'UTC')
  ORDER BY d.deal_id`;
const ALL_DEALS = DEALS(ALL_ENTRIES);
const KEPT_DEALS = DEALS(KEPT_ENTRIES);

const STAGES = `
  SELECT s.pipeline_id, p.name AS pipeline_name, s.stage_id, s.position, s.name, s.kind,
    s.probability::text AS probability
  FROM reporting.stages s
  JOIN reporting.pipelines p ON p.tenant_id = s.tenant_id AND p.pipeline_id = s.pipeline_id
  WHERE s.tenant_id = $1 AND ($2::text IS NULL OR s.pipeline_id = $2)
  ORDER BY p.name, s.pipeline_id, s.position`;

// Most deals first; a tie goes to the alphabetically first code.
const MOST_USED_CURRENCY = `
  SELECT currency FROM reporting.deals WHERE tenant_id = $1
  GROUP BY currency ORDER BY count(*) DESC, currency LIMIT 1`;

/** UTC days, both included; either may be open. */
export interface DayRange {
  from?: string;
  to?: string;
}

/** Which deal facts a report needs: by status, by the day they closed or opened. */
export interface DealFactFilter {
  statuses?: Array<DealFact['status']>;
  closed?: DayRange;
  opened?: DayRange;
}

/** Reads the report facts of one tenant. */
export class ReportFactsRepository {
  constructor(private readonly pool: Pool) {}

  // TODO(#3): each report loads the deal facts its filter keeps (all of a year's closed deals,
  // every open one) and aggregates them in memory, so its time grows with the tenant's deals;
  // push the grouping into SQL (or cache per read-model position) for tenants of 10^6 deals.
  /**
   * The tenant's deal facts, or fewer: those `filter` keeps, which must be all a report counts
   * (the report still applies its own rules to them).
   */
  async deals(
    tenantId: string,
    pipelineId: string | undefined,
    filter: DealFactFilter = {},
  ): Promise<DealFact[]> {
    const { statuses, closed = {}, opened = {} } = filter;
    const narrowed = [statuses, closed.from, closed.to, opened.from, opened.to].some(
      (bound) => bound !== undefined,
    );
    const { rows } = await this.pool.query<DealRow>(narrowed ? KEPT_DEALS : ALL_DEALS, [
      tenantId,
      pipelineId ?? null,
      statuses ?? null,
      closed.from ?? null,
      closed.to ?? null,
      opened.from ?? null,
      opened.to ?? null,
    ]);

    return rows.map(toDealFact);
  }

  async stages(tenantId: string, pipelineId: string | undefined): Promise<StageFact[]> {
    const { rows } = await this.pool.query<StageRow>(STAGES, [tenantId, pipelineId ?? null]);

    return rows.map((row) => ({
      pipelineId: row.pipeline_id,
      pipeline: row.pipeline_name,
      stageId: row.stage_id,
      position: row.position,
      name: row.name,
      kind: row.kind,
      probability: row.probability === null ? null : Number(row.probability),
    }));
  }

  async mostUsedCurrency(tenantId: string): Promise<string | undefined> {
    const { rows } = await this.pool.query<{ currency: string }>(MOST_USED_CURRENCY, [tenantId]);

    return rows[0]?.currency;
  }
}

function toDealFact(row: DealRow): DealFact {
  return {
    dealId: row.deal_id,
    title: row.title,
    pipelineId: row.pipeline_id,
    stageId: row.stage_id,
    status: row.status,
    ownerId: row.owner_id,
    repName: row.rep_name,
    manager: row.manager,
    regionalOffice: row.regional_office,
    productId: row.product_id,
    productName: row.product_name,
    sector: row.sector,
    leadSource: row.lead_source,
    valueCents: row.value === null ? null : Math.round(Number(row.value) * 100),
    currency: row.currency,
    expectedCloseDate: row.expected_close_date,
    openedAt: row.opened_at,
    closedAt: row.closed_at,
    stageEntries: row.entered_stage_ids.map((stageId, index) => ({
      stageId,
      at: row.entered_at[index],
    })),
  };
}
