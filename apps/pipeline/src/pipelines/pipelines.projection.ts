import { isPipelineEnvelope, PipelineEventEnvelope } from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';
import { SqlProjection } from '@relate/service-kit';
import { PoolClient } from 'pg';

const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS pipeline;
  CREATE TABLE IF NOT EXISTS pipeline.pipelines (
    tenant_id text NOT NULL,
    pipeline_id text NOT NULL,
    name text NOT NULL,
    is_default boolean NOT NULL,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, pipeline_id)
  );
  CREATE TABLE IF NOT EXISTS pipeline.stages (
    tenant_id text NOT NULL,
    pipeline_id text NOT NULL,
    stage_id text NOT NULL,
    position integer NOT NULL,
    name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('open', 'won', 'lost')),
    probability numeric(5, 2),
    PRIMARY KEY (tenant_id, pipeline_id, stage_id)
  );
`;

/** Pipelines and their ordered stages, fed from the pipeline topic. */
export class PipelinesProjection extends SqlProjection<PipelineEventEnvelope> {
  readonly name = 'pipeline-pipelines';
  readonly tables = ['pipeline.pipelines', 'pipeline.stages'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isPipelineEnvelope;

  protected async project(event: PipelineEventEnvelope, client: PoolClient): Promise<void> {
    switch (event.type) {
      case 'PipelineDefined':
        return define(event, client);
      case 'ProductAdded':
      case 'DealOpened':
      case 'DealMovedToStage':
      case 'DealRenamed':
      case 'DealValueChanged':
      case 'DealExpectedCloseDateChanged':
      case 'DealProductChanged':
      case 'DealOwnerAssigned':
      case 'DealWon':
      case 'DealLost':
        return;
      default:
        return assertUnreachable(event);
    }
  }
}

async function define(
  event: Extract<PipelineEventEnvelope, { type: 'PipelineDefined' }>,
  client: PoolClient,
): Promise<void> {
  const { pipelineId, name, isDefault, stages } = event.data;
  await client.query(
    `INSERT INTO pipeline.pipelines (tenant_id, pipeline_id, name, is_default, version, created_at)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, pipeline_id) DO NOTHING`,
    [event.tenantId, pipelineId, name, isDefault, event.streamVersion, event.occurredAt],
  );
  await client.query(
    `INSERT INTO pipeline.stages (tenant_id, pipeline_id, stage_id, position, name, kind,
       probability)
     SELECT $1, $2, stage.id, stage.position::integer, stage.name, stage.kind, stage.probability
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[])
       AS stage(id, position, name, kind, probability)
     ON CONFLICT (tenant_id, pipeline_id, stage_id) DO NOTHING`,
    [
      event.tenantId,
      pipelineId,
      stages.map((stage) => stage.stageId),
      stages.map((_, index) => String(index)),
      stages.map((stage) => stage.name),
      stages.map((stage) => stage.kind),
      stages.map((stage) => stage.probability),
    ],
  );
}
