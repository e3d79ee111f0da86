import { isPipelineEnvelope, PipelineEventEnvelope } from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';
import { SqlProjection } from '@relate/service-kit';
import { PoolClient } from 'pg';

const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS pipeline;
  CREATE TABLE IF NOT EXISTS pipeline.products (
    tenant_id text NOT NULL,
    product_id text NOT NULL,
    name text NOT NULL,
    series text,
    list_price numeric(20, 2),
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, product_id)
  );
  CREATE INDEX IF NOT EXISTS products_by_name ON pipeline.products (tenant_id, lower(name));
`;

/** The product catalogue, fed from the pipeline topic. */
export class ProductsProjection extends SqlProjection<PipelineEventEnvelope> {
  readonly name = 'pipeline-products';
  readonly tables = ['pipeline.products'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isPipelineEnvelope;

  protected async project(event: PipelineEventEnvelope, client: PoolClient): Promise<void> {
    switch (event.type) {
      case 'ProductAdded': {
        const { productId, name, series, listPrice } = event.data;
        await client.query(
          `INSERT INTO pipeline.products (tenant_id, product_id, name, series, list_price,
             version, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (tenant_id, product_id) DO NOTHING`,
          [
            event.tenantId,
            productId,
            name,
            series,
            listPrice,
            event.streamVersion,
            event.occurredAt,
          ],
        );

        return;
      }
      case 'PipelineDefined':
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
