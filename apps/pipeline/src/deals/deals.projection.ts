import { isPipelineEnvelope, PipelineEventEnvelope } from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';
import { rowUpdate, SqlProjection } from '@relate/service-kit';
import { PoolClient } from 'pg';

const TABLE = 'pipeline.deals';

// close_date: the actual close date of a won or lost deal (UTC day), else the expected one.
const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS pipeline;
  CREATE TABLE IF NOT EXISTS pipeline.deals (
    tenant_id text NOT NULL,
    deal_id text NOT NULL,
    title text NOT NULL,
    pipeline_id text NOT NULL,
    stage_id text NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'won', 'lost')),
    company_id text,
    person_id text,
    owner_id text,
    product_id text,
    value numeric(20, 2),
    currency text NOT NULL,
    expected_close_date date,
    opened_at timestamptz NOT NULL,
    closed_at timestamptz,
    lost_reason text,
    close_date date GENERATED ALWAYS AS
      (coalesce((closed_at AT TIME ZONE 'UTC')::date, expected_close_date)) STORED,
    version integer NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, deal_id)
  );
  CREATE INDEX IF NOT EXISTS deals_by_stage ON pipeline.deals (tenant_id, pipeline_id, stage_id)
    INCLUDE (value);
  CREATE INDEX IF NOT EXISTS deals_by_owner ON pipeline.deals (tenant_id, owner_id);
  CREATE INDEX IF NOT EXISTS deals_by_company ON pipeline.deals (tenant_id, company_id);
  CREATE INDEX IF NOT EXISTS deals_by_close_date ON pipeline.deals (tenant_id, close_date);
  CREATE INDEX IF NOT EXISTS deals_by_opening
    ON pipeline.deals (tenant_id, opened_at DESC, deal_id);
`;

type DealEnvelope = Extract<PipelineEventEnvelope, { data: { dealId: string } }>;

/** The deals list and detail read model, fed from the pipeline topic. */
export class DealsProjection extends SqlProjection<PipelineEventEnvelope> {
  readonly name = 'pipeline-deals';
  readonly tables = ['pipeline.deals'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isPipelineEnvelope;

  protected async project(event: PipelineEventEnvelope, client: PoolClient): Promise<void> {
    const update = rowUpdate(client, TABLE, keyOf(event as DealEnvelope), event);
    switch (event.type) {
      case 'DealOpened':
        return open(event, client);
      case 'DealMovedToStage':
        return update({ stage_id: event.data.toStageId });
      case 'DealRenamed':
        return update({ title: event.data.title });
      case 'DealValueChanged':
        return update({ value: event.data.value, currency: event.data.currency });
      case 'DealExpectedCloseDateChanged':
        return update({ expected_close_date: event.data.expectedCloseDate });
      case 'DealProductChanged':
        return update({ product_id: event.data.productId });
      case 'DealOwnerAssigned':
        return update({ owner_id: event.data.ownerId });
      case 'DealWon': {
        const { stageId, value } = event.data;

        return update({ status: 'won', stage_id: stageId, value, closed_at: event.occurredAt });
      }
      case 'DealLost': {
        const { stageId, reason } = event.data;

        return update({
          status: 'lost',
          stage_id: stageId,
          lost_reason: reason,
          closed_at: event.occurredAt,
        });
      }
      case 'PipelineDefined':
      case 'ProductAdded':
        return;
      default:
        return assertUnreachable(event);
    }
  }
}

function keyOf(event: DealEnvelope): Record<string, string> {
  return { tenant_id: event.tenantId, deal_id: event.data.dealId };
}

async function open(
  event: Extract<PipelineEventEnvelope, { type: 'DealOpened' }>,
  client: PoolClient,
): Promise<void> {
  const { data } = event;
  await client.query(
    `INSERT INTO pipeline.deals (tenant_id, deal_id, title, pipeline_id, stage_id, status,
       company_id, person_id, owner_id, product_id, value, currency, expected_close_date,
       opened_at, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
     ON CONFLICT (tenant_id, deal_id) DO NOTHING`,
    [
      event.tenantId,
      data.dealId,
      data.title,
      data.pipelineId,
      data.stageId,
      data.companyId,
      data.personId,
      data.ownerId,
      data.productId,
      data.value,
      data.currency,
      data.expectedCloseDate,
      event.occurredAt,
      event.streamVersion,
      event.recordedAt,
    ],
  );
}
