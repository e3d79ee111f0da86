import { Pool } from 'pg';

import { CommandContext, EventEnvelope } from '@relate/contracts';

import { ExpectedVersion } from '../event-store.types';
import { PostgresEventStore } from '../postgres-event-store';

export interface WriterLoad {
  writers: number;
  appendsPerWriter: number;
  streams: number;
  /** Share of appends held open before commit, and for how long at most. */
  delayedShare: number;
  maxDelayMs: number;
  /** Share of appends that roll back after inserting. */
  rolledBackShare: number;
}

export interface WriterOutcome {
  committed: number;
  conflicts: number;
  rolledBack: number;
  /** Every append the store acknowledged: its stream and the versions it took. */
  appends: Array<{ streamId: string; fromVersion: number; toVersion: number }>;
}

/**
 * Test support: many writers appending to a few shared streams at once, mixing expected
 * versions and 'any', with some transactions held open (late commits with early positions) and
 * some rolled back, through the store's real append and installCommitDelayTrigger.
 */
export async function runConcurrentWriters(
  store: PostgresEventStore,
  load: WriterLoad,
  tenantId: string,
): Promise<WriterOutcome> {
  const outcome: WriterOutcome = { committed: 0, conflicts: 0, rolledBack: 0, appends: [] };
  const streamIds = Array.from({ length: load.streams }, (_, i) => `load-${i}-${randomTag()}`);
  const writer = async (writerIndex: number): Promise<void> => {
    const context: CommandContext = {
      tenantId,
      actor: { type: 'system', id: `writer-${writerIndex}` },
      correlationId: `writer-${writerIndex}`,
    };
    for (let i = 0; i < load.appendsPerWriter; i++) {
      const streamId = streamIds[Math.floor(Math.random() * streamIds.length)];
      const delayMs =
        Math.random() < load.delayedShare ? Math.ceil(Math.random() * load.maxDelayMs) : undefined;
      const rollback = Math.random() < load.rolledBackShare;
      const count = 1 + Math.floor(Math.random() * 3);
      const events = Array.from({ length: count }, (_, n) => ({
        type: 'LoadNoted',
        data: { writer: writerIndex, append: i, n, delayMs, rollback },
      }));
      try {
        const expectedVersion: ExpectedVersion =
          writerIndex % 2 === 0 ? 'any' : (await store.readStream(tenantId, streamId)).length;
        const result = await store.append(streamId, 'load', events, { expectedVersion, context });
        outcome.committed += count;
        outcome.appends.push({
          streamId,
          fromVersion: result.streamVersion - count + 1,
          toVersion: result.streamVersion,
        });
      } catch (error) {
        if ((error as { code?: string }).code === 'P0001') {
          outcome.rolledBack += 1;
        } else if ((error as { category?: string }).category === 'conflict') {
          outcome.conflicts += 1;
        } else {
          throw error;
        }
      }
    }
  };
  await Promise.all(Array.from({ length: load.writers }, (_, i) => writer(i)));

  return outcome;
}

/** Committed events straight from the table, as (id, stream, version). */
export async function committedEvents(
  pool: Pool,
  schema: string,
): Promise<Array<{ id: string; streamId: string; streamVersion: number }>> {
  const { rows } = await pool.query(
    `SELECT event_id AS id, stream_id AS "streamId", stream_version AS "streamVersion"
     FROM "${schema}".events ORDER BY stream_id, stream_version`,
  );

  return rows;
}

/**
 * Asserts that the published sequence holds exactly the committed events, once each, and that
 * each stream's events appear in version order without holes.
 */
export function publishedProblems(
  published: Array<Pick<EventEnvelope, 'id' | 'streamId' | 'streamVersion'>>,
  committed: Array<{ id: string }>,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  const lastVersion = new Map<string, number>();
  for (const event of published) {
    if (seen.has(event.id)) {
      problems.push(`published twice: ${event.id}`);
    }
    seen.add(event.id);
    const previous = lastVersion.get(event.streamId) ?? 0;
    if (event.streamVersion !== previous + 1) {
      problems.push(`${event.streamId}: version ${event.streamVersion} after ${previous}`);
    }
    lastVersion.set(event.streamId, event.streamVersion);
  }
  const committedIds = new Set(committed.map((event) => event.id));
  for (const id of committedIds) {
    if (!seen.has(id)) {
      problems.push(`never published: ${id}`);
    }
  }
  for (const id of seen) {
    if (!committedIds.has(id)) {
      problems.push(`published but not committed: ${id}`);
    }
  }

  return problems;
}

function randomTag(): string {
  return Math.random().toString(36).slice(2, 8);
}
