import { PoolClient } from 'pg';

import { EventEnvelope } from '@relate/contracts';

/** A read model fed from topics by a ProjectionRunner. */
export interface Projection {
  /** Names the projection's progress rows and, with the schema, its consumer group. */
  name: string;
  topics: string[];
  /** Creates the projection's tables; must be idempotent. */
  migrate(client: PoolClient): Promise<void>;
  /**
   * Applies one event inside the runner's transaction, which also records the stream version
   * applied. Throw a RelateError with `retriable: true` for a failure worth retrying as it is.
   */
  apply(event: EventEnvelope, client: PoolClient): Promise<void>;
}
