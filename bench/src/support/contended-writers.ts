import { isRelateError } from '@relate/errors';
import { EventStoreErrorCodes, PostgresEventStore } from '@relate/event-store';

import { elapsedMs } from '../harness/stats';
import { benchContext, BENCH_TENANT, DEAL_STREAM_TYPE } from './append-payload';

export interface ContentionLoad {
  writers: number;
  appendsPerWriter: number;
  /** Past this many attempts an append counts as livelocked and its writer gives up. */
  maxAttempts: number;
}

/** What the writers of one round saw, and what the stream holds afterwards. */
export interface ContentionRound {
  completed: number;
  conflicts: number;
  /** Failed attempts that were not an honest conflict, with what they said. */
  otherErrors: string[];
  livelocked: number;
  mostAttempts: number;
  slowestWaitMs: number;
  seconds: number;
  /** Acknowledged appends missing from the stream, twice in it, or at another version. */
  versionProblems: string[];
}

interface Acknowledged {
  writer: number;
  append: number;
  version: number;
}

/**
 * `writers` command handlers on one stream at once, each appending `appendsPerWriter` events
 * one by one: read the stream for its version (as a repository loads an aggregate), append
 * expecting it, and on a conflict read again and retry. Then checks the stream against what
 * the writers were told.
 */
export async function contendOnOneStream(
  store: PostgresEventStore,
  streamId: string,
  load: ContentionLoad,
): Promise<ContentionRound> {
  const round: ContentionRound = {
    completed: 0,
    conflicts: 0,
    otherErrors: [],
    livelocked: 0,
    mostAttempts: 0,
    slowestWaitMs: 0,
    seconds: 0,
    versionProblems: [],
  };
  const acknowledged: Acknowledged[] = [];
  const appendOnce = async (writer: number, append: number): Promise<void> => {
    const started = process.hrtime.bigint();
    for (let attempt = 1; attempt <= load.maxAttempts; attempt++) {
      round.mostAttempts = Math.max(round.mostAttempts, attempt);
      const version = (await store.readStream(BENCH_TENANT, streamId)).length;
      const outcome = await tryAppend(store, streamId, version, { writer, append });
      if (typeof outcome === 'number') {
        acknowledged.push({ writer, append, version: outcome });
        round.completed += 1;
        round.slowestWaitMs = Math.max(round.slowestWaitMs, elapsedMs(started));

        return;
      }
      if (outcome === 'conflict') {
        round.conflicts += 1;
      } else {
        round.otherErrors.push(outcome.error);
      }
    }
    round.livelocked += 1;
  };
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: load.writers }, async (_, writer) => {
      for (let append = 0; append < load.appendsPerWriter; append++) {
        await appendOnce(writer, append);
      }
    }),
  );
  round.seconds = elapsedMs(started) / 1000;
  round.versionProblems = await versionProblems(store, streamId, acknowledged);

  return round;
}

/** The version the append took, 'conflict' for an honest conflict, or what went wrong. */
async function tryAppend(
  store: PostgresEventStore,
  streamId: string,
  expectedVersion: number,
  data: { writer: number; append: number },
): Promise<number | 'conflict' | { error: string }> {
  try {
    const result = await store.append(streamId, DEAL_STREAM_TYPE, [{ type: 'DealNoted', data }], {
      expectedVersion,
      context: benchContext,
    });

    return result.streamVersion;
  } catch (error) {
    const conflict =
      isRelateError(error) && error.code === EventStoreErrorCodes.wrongExpectedVersion;
    // A conflict must mean that another writer moved the stream past the expected version.
    const actual = conflict ? error.details.actual : undefined;
    if (typeof actual === 'number' && actual > expectedVersion) {
      return 'conflict';
    }

    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Every acknowledged append once in the stream at its version, versions 1..n without gaps. */
async function versionProblems(
  store: PostgresEventStore,
  streamId: string,
  acknowledged: readonly Acknowledged[],
): Promise<string[]> {
  const events = await store.readStream(BENCH_TENANT, streamId);
  const problems: string[] = [];
  const stored = new Map<string, number>();
  events.forEach((event, index) => {
    if (event.streamVersion !== index + 1) {
      problems.push(`version ${event.streamVersion} at place ${index + 1}`);
    }
    const { writer, append } = event.data as { writer: number; append: number };
    const key = `${writer}/${append}`;
    if (stored.has(key)) {
      problems.push(`append ${key} stored twice`);
    }
    stored.set(key, event.streamVersion);
  });
  for (const { writer, append, version } of acknowledged) {
    const at = stored.get(`${writer}/${append}`);
    if (at !== version) {
      problems.push(`append ${writer}/${append} acknowledged at ${version}, stored at ${at}`);
    }
  }
  if (events.length !== acknowledged.length) {
    problems.push(`${events.length} events stored, ${acknowledged.length} acknowledged`);
  }

  return problems;
}
