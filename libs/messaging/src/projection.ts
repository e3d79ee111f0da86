import { PoolClient } from 'pg';

import { EventEnvelope } from '@relate/contracts';

/** A read model fed from topics by a ProjectionRunner. */
export interface Projection {
  /** Names the projection's progress rows and, with the schema, its consumer group. */
  name: string;
  topics: string[];
  /**
   * The fully qualified tables the projection owns (e.g. `'contacts.people'`): a rebuild drops
   * them, then `migrate` creates them again. Only events may fill them (never the clock, nor
   * another projection's tables), so that the rebuilt rows equal the live ones. Every read
   * model declares it (the replay spec checks each service's); a reactor is never rebuilt and
   * may leave it out, so it stays optional here and a rebuild refuses a projection without it.
   */
  readonly tables?: string[];
  /** Creates the projection's tables; must be idempotent. */
  migrate(client: PoolClient): Promise<void>;
  /**
   * Applies one event inside the runner's transaction, which also records the stream version
   * applied. Throw a RelateError with `retriable: true` for a failure worth retrying as it is.
   */
  // TODO(#5): one event, one or more statements awaited in turn (~250 µs each): catch-up runs
  // at a few hundredths of a do-nothing consumer's rate (bench 7); applying a batch with
  // set-based statements per table would lift it, at the cost of a second apply path.
  apply(event: EventEnvelope, client: PoolClient): Promise<void>;
}
