import { PoolClient } from 'pg';

import { EventEnvelope } from '@relate/contracts';
import { Projection } from '@relate/messaging';

import { DealsProjection } from '../../../../apps/pipeline/src/deals/deals.projection';

/** The witness table: how many times each event was applied, and by which instance last. */
export const WITNESS_TABLE = 'pipeline.chaos_applied_events';

/**
 * The pipeline's deals read model, with a counting witness written in the same transaction: a
 * row per event id whose count goes up each time the runner applies that event. Anything above
 * one is an event applied twice; an event without a row was never applied.
 */
export class WitnessedDealsProjection implements Projection {
  readonly name: string;
  readonly tables: string[];
  private readonly deals: DealsProjection;

  constructor(
    readonly topics: string[],
    private readonly instance: string,
  ) {
    this.deals = new DealsProjection(topics);
    this.name = this.deals.name;
    this.tables = [...this.deals.tables, WITNESS_TABLE];
  }

  async migrate(client: PoolClient): Promise<void> {
    await this.deals.migrate(client);
    await client.query(`CREATE TABLE IF NOT EXISTS ${WITNESS_TABLE} (
      event_id text PRIMARY KEY,
      stream_id text NOT NULL,
      stream_version integer NOT NULL,
      applications integer NOT NULL,
      last_instance text NOT NULL
    )`);
  }

  async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    await this.deals.apply(event, client);
    await client.query(
      `INSERT INTO ${WITNESS_TABLE} (event_id, stream_id, stream_version, applications,
         last_instance)
       VALUES ($1, $2, $3, 1, $4)
       ON CONFLICT (event_id) DO UPDATE
       SET applications = ${WITNESS_TABLE}.applications + 1,
         last_instance = EXCLUDED.last_instance`,
      [event.id, event.streamId, event.streamVersion, this.instance],
    );
  }
}
