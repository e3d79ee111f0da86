import { PoolClient } from 'pg';

import { EventEnvelope } from '@relate/contracts';
import { Projection } from '@relate/messaging';

import { DealsProjection } from '../../../../apps/pipeline/src/deals/deals.projection';

/** The witness table: how many times each event was applied, and by which instance last. */
export const WITNESS_TABLE = 'pipeline.chaos_applied_events';

/** Each instance's runner counters: events applied, redeliveries recognised and skipped. */
export const MEMBER_STATS_TABLE = 'pipeline.chaos_member_stats';

const HOLD_MS = 500;

/**
 * The pipeline's deals read model, with a counting witness written in the same transaction: a
 * row per event id whose count goes up each time the runner applies that event. Anything above
 * one is an event applied twice; an event without a row was never applied.
 */
export class WitnessedDealsProjection implements Projection {
  readonly name: string;
  readonly tables: string[];
  private readonly deals: DealsProjection;
  private holding = false;

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
    await client.query(`CREATE TABLE IF NOT EXISTS ${MEMBER_STATS_TABLE} (
      instance text PRIMARY KEY,
      applied integer NOT NULL,
      skipped integer NOT NULL
    )`);
  }

  /**
   * The next apply announces itself and waits a moment inside its transaction, so that the
   * scenario can freeze the process there: applied rows not yet committed, offsets neither.
   */
  holdNextApply(): void {
    this.holding = true;
  }

  async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    if (this.holding) {
      this.holding = false;
      process.send?.({ applying: true });
      await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    }
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
