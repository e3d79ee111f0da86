import { randomUUID } from 'node:crypto';

import { PostgresEventStore } from '@relate/event-store';

import { inFlight } from '../harness/rounds';
import { BENCH_ACTOR, StreamHistory } from './deal-histories';

/**
 * Appends each history to its new stream through the event store, one append a stream (as a
 * service appends a command's events), `concurrency` appends in flight.
 */
export async function appendHistories(
  store: PostgresEventStore,
  histories: StreamHistory[],
  tenantId: string,
  concurrency = 8,
): Promise<void> {
  await inFlight(concurrency, histories.length, async (index) => {
    const { streamId, streamType, events } = histories[index];
    await store.append(streamId, streamType, events, {
      expectedVersion: 'no_stream',
      context: { tenantId, actor: BENCH_ACTOR, correlationId: randomUUID() },
    });
  });
}
