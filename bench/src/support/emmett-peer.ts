import { Pool } from 'pg';

import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { CommandContext, NewEvent } from '@relate/contracts';

/** The peer's append, in the shape the append measurements call. */
export interface PeerAppender {
  append(streamId: string, expectedVersion: number, events: NewEvent[]): Promise<void>;
}

/**
 * `@event-driven-io/emmett-postgresql` on a pool of ours (so it gets the same connections as
 * Relate's store), its schema migrated before the clock starts. The command's metadata goes
 * in emmett's event metadata, so that both stores keep the same payload.
 */
export async function emmettPeer(
  pool: Pool,
  url: string,
  context: CommandContext,
): Promise<PeerAppender> {
  const store = getPostgreSQLEventStore(url, { connectionOptions: { pool } });
  await store.schema.migrate();
  const metadata = {
    tenantId: context.tenantId,
    actor: context.actor,
    correlationId: context.correlationId,
    causationId: context.causationId ?? null,
    traceparent: context.traceparent ?? null,
  };

  return {
    append: async (streamId, expectedVersion, events) => {
      const occurredAt = new Date().toISOString();
      await store.appendToStream(
        streamId,
        events.map((event) => ({
          type: event.type,
          data: event.data as Record<string, unknown>,
          metadata: { ...metadata, occurredAt: event.occurredAt ?? occurredAt },
        })),
        { expectedStreamVersion: BigInt(expectedVersion) },
      );
    },
  };
}
