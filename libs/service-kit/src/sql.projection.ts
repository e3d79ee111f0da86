import { EventEnvelope } from '@relate/contracts';
import { Projection } from '@relate/messaging';
import { PoolClient } from 'pg';

import { assertKnownSchema } from './projection-sql';

/**
 * A read model in SQL tables, fed from one context's event catalogue. It creates its tables,
 * passes over events of other catalogues, fails events of a schema version this build does not
 * know (the runner parks them), and projects the rest inside the runner's transaction.
 */
export abstract class SqlProjection<TEvent extends EventEnvelope> implements Projection {
  /** Also the suffix of the projection's consumer group. */
  abstract readonly name: string;

  /** Idempotent DDL of the read model's tables (`CREATE ... IF NOT EXISTS`). */
  protected abstract readonly migration: string;

  /** Whether an event belongs to the catalogue that {@link project} switches over. */
  protected abstract readonly accepts: (envelope: EventEnvelope) => envelope is TEvent;

  constructor(readonly topics: string[]) {}

  async migrate(client: PoolClient): Promise<void> {
    await client.query(this.migration);
  }

  async apply(envelope: EventEnvelope, client: PoolClient): Promise<void> {
    if (!this.accepts(envelope)) {
      return;
    }
    assertKnownSchema(envelope);
    await this.project(envelope, client);
  }

  protected abstract project(event: TEvent, client: PoolClient): Promise<void>;
}
