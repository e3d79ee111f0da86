import {
  CurrencyTotal,
  PipelineSummaryView,
  PipelineView,
  StageKind,
  StageView,
} from '@relate/contracts';
import { numberOrNull, selectOne } from '@relate/service-kit';
import { Pool } from 'pg';

interface PipelineRow {
  pipeline_id: string;
  name: string;
  is_default: boolean;
  version: number;
  stages: Array<{
    id: string;
    name: string;
    kind: StageKind;
    probability: string | number | null;
    position: number;
  }>;
}

interface SummaryRow {
  pipeline_name: string;
  stage_id: string;
  name: string;
  kind: StageKind;
  deal_count: number;
  /** Per currency, ordered by currency code; only deals with a value count. */
  values: Array<{ currency: string; total: string | number }>;
}

const PIPELINES_WITH_STAGES = `
  SELECT p.pipeline_id, p.name, p.is_default, p.version,
    coalesce(json_agg(json_build_object('id', s.stage_id, 'name', s.name, 'kind', s.kind,
      'probability', s.probability, 'position', s.position) ORDER BY s.position)
      FILTER (WHERE s.stage_id IS NOT NULL), '[]') AS stages
  FROM pipeline.pipelines p
  LEFT JOIN pipeline.stages s ON s.tenant_id = p.tenant_id AND s.pipeline_id = p.pipeline_id
  WHERE p.tenant_id = $1`;

// Per stage of one pipeline: its deals and their total value per currency, from the deals read
// model. The deals_by_stage index (tenant, pipeline, stage) INCLUDE (value) serves the join.
const SUMMARY = `
  WITH per_currency AS (
    SELECT d.stage_id, d.currency, count(*)::integer AS deals, sum(d.value) AS total
    FROM pipeline.deals d
    WHERE d.tenant_id = $1 AND d.pipeline_id = $2
    GROUP BY d.stage_id, d.currency
  )
  SELECT p.name AS pipeline_name, s.stage_id, s.name, s.kind,
    coalesce(sum(c.deals), 0)::integer AS deal_count,
    coalesce(json_agg(json_build_object('currency', c.currency, 'total', c.total)
      ORDER BY c.currency) FILTER (WHERE c.total IS NOT NULL), '[]') AS values
  FROM pipeline.pipelines p
  JOIN pipeline.stages s ON s.tenant_id = p.tenant_id AND s.pipeline_id = p.pipeline_id
  LEFT JOIN per_currency c ON c.stage_id = s.stage_id
  WHERE p.tenant_id = $1 AND p.pipeline_id = $2
  GROUP BY p.name, s.stage_id, s.name, s.kind, s.position
  ORDER BY s.position`;

function toStage(stage: PipelineRow['stages'][number]): StageView {
  return { ...stage, probability: numberOrNull(stage.probability) };
}

function toView(row: PipelineRow): PipelineView {
  return {
    id: row.pipeline_id,
    name: row.name,
    isDefault: row.is_default,
    stages: row.stages.map(toStage),
    version: row.version,
  };
}

/** Reads of the pipelines read model and the per-stage summary; scoped to one tenant. */
export class PipelinesRepository {
  constructor(private readonly pool: Pool) {}

  async list(tenantId: string): Promise<PipelineView[]> {
    const { rows } = await this.pool.query<PipelineRow>(
      `${PIPELINES_WITH_STAGES}
       GROUP BY p.tenant_id, p.pipeline_id ORDER BY p.is_default DESC, p.name`,
      [tenantId],
    );

    return rows.map(toView);
  }

  find(tenantId: string, pipelineId: string): Promise<PipelineView | undefined> {
    const sql = `${PIPELINES_WITH_STAGES} AND p.pipeline_id = $2
       GROUP BY p.tenant_id, p.pipeline_id`;

    return selectOne(this.pool, sql, [tenantId, pipelineId], toView);
  }

  /** Amounts in different currencies are never added up: each total is per currency. */
  async summary(tenantId: string, pipelineId: string): Promise<PipelineSummaryView | undefined> {
    const { rows } = await this.pool.query<SummaryRow>(SUMMARY, [tenantId, pipelineId]);
    if (rows.length === 0) {
      return undefined;
    }

    const stages = rows.map((row) => {
      const values = row.values.map(({ currency, total }) => ({ currency, total: Number(total) }));

      return {
        stageId: row.stage_id,
        name: row.name,
        kind: row.kind,
        dealCount: row.deal_count,
        totalValue: singleCurrencyTotal(values),
        values,
      };
    });
    const values = addPerCurrency(stages.flatMap((stage) => stage.values));
    const dealCount = stages.reduce((sum, stage) => sum + stage.dealCount, 0);

    return {
      pipelineId,
      name: rows[0].pipeline_name,
      stages,
      totals: { dealCount, totalValue: singleCurrencyTotal(values), values },
    };
  }
}

/** The one total when every amount is in one currency (0 with none), else null. */
function singleCurrencyTotal(values: CurrencyTotal[]): number | null {
  if (values.length > 1) {
    return null;
  }

  return values[0]?.total ?? 0;
}

function addPerCurrency(values: CurrencyTotal[]): CurrencyTotal[] {
  const totals = new Map<string, number>();
  for (const { currency, total } of values) {
    totals.set(currency, roundCents((totals.get(currency) ?? 0) + total));
  }

  return [...totals.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([currency, total]) => ({ currency, total }));
}

/** Sums of numeric(20, 2) amounts stay exact in cents; floats would drift. */
function roundCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
