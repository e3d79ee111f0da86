import { PipelineSummaryView, PipelineView, StageKind, StageView } from '@relate/contracts';
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
  total_value: string;
  all_deals: string;
  all_value: string;
}

const PIPELINES_WITH_STAGES = `
  SELECT p.pipeline_id, p.name, p.is_default, p.version,
    coalesce(json_agg(json_build_object('id', s.stage_id, 'name', s.name, 'kind', s.kind,
      'probability', s.probability, 'position', s.position) ORDER BY s.position)
      FILTER (WHERE s.stage_id IS NOT NULL), '[]') AS stages
  FROM pipeline.pipelines p
  LEFT JOIN pipeline.stages s ON s.tenant_id = p.tenant_id AND s.pipeline_id = p.pipeline_id
  WHERE p.tenant_id = $1`;

// Per stage of one pipeline: its deals and their total value, from the deals read model.
// The deals_by_stage index (tenant, pipeline, stage) INCLUDE (value) serves the join.
const SUMMARY = `
  SELECT p.name AS pipeline_name, s.stage_id, s.name, s.kind,
    count(d.deal_id)::integer AS deal_count,
    coalesce(sum(d.value), 0) AS total_value,
    sum(count(d.deal_id)) OVER () AS all_deals,
    coalesce(sum(sum(d.value)) OVER (), 0) AS all_value
  FROM pipeline.pipelines p
  JOIN pipeline.stages s ON s.tenant_id = p.tenant_id AND s.pipeline_id = p.pipeline_id
  LEFT JOIN pipeline.deals d
    ON d.tenant_id = s.tenant_id AND d.pipeline_id = s.pipeline_id AND d.stage_id = s.stage_id
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

  // TODO(#3): values of deals in different currencies are added up as one number; the summary
  // should total per currency (or convert) once reporting defines how currencies are reported.
  async summary(tenantId: string, pipelineId: string): Promise<PipelineSummaryView | undefined> {
    const { rows } = await this.pool.query<SummaryRow>(SUMMARY, [tenantId, pipelineId]);
    if (rows.length === 0) {
      return undefined;
    }

    return {
      pipelineId,
      name: rows[0].pipeline_name,
      stages: rows.map((row) => ({
        stageId: row.stage_id,
        name: row.name,
        kind: row.kind,
        dealCount: row.deal_count,
        totalValue: Number(row.total_value),
      })),
      totals: { dealCount: Number(rows[0].all_deals), totalValue: Number(rows[0].all_value) },
    };
  }
}
