import { PostgresEventStore } from '@relate/event-store';

import { Figure, Measurement } from '../harness/bench-types';
import { median } from '../harness/stats';
import { ContentionLoad, contendOnOneStream, ContentionRound } from '../support/contended-writers';
import { roundByRoundTable } from '../support/interleaved-load';
import { withScratchDatabase } from '../support/scratch-database';

const WRITERS = 32;
const APPENDS_PER_WRITER = { smoke: 2, full: 5 };
// Far beyond what a fair share needs (about one attempt per writer still going): reaching it
// means writers keep taking turns without any of them getting through.
const MAX_ATTEMPTS = 1_000;

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

export const contentionMeasurement: Measurement = {
  id: 4,
  title: 'Contention on one stream',
  run: (context) =>
    withScratchDatabase(context.servers.databaseUrl, 'bench_contention', async (database) => {
      // A connection for every writer, so that all 32 really race in the database.
      const store = new PostgresEventStore(await database.openPool(WRITERS), { schema: 'relate' });
      await store.migrate();
      const load: ContentionLoad = {
        writers: WRITERS,
        appendsPerWriter: APPENDS_PER_WRITER[context.scale],
        maxAttempts: MAX_ATTEMPTS,
      };
      const rounds: ContentionRound[] = [];
      for (let round = 0; round < context.rounds; round++) {
        rounds.push(await contendOnOneStream(store, `deal-contended-${round}`, load));
      }

      return {
        figures: figures(rounds, load),
        tables: [roundsTable(rounds)],
        notes: [
          `${WRITERS} writers on one stream, each appending ${load.appendsPerWriter} events ` +
            'one at a time as a command handler does: read the stream for its version (the ' +
            'whole stream, as a repository loads an aggregate, so the rate includes those ' +
            'reads), append ' +
            'expecting that version, on a conflict read again and retry. A round is a new ' +
            'stream. A conflict counts only if the version the store reports is past the ' +
            'expected one; ' +
            'the stream is then checked against every acknowledgement (each append once, at the ' +
            'version it was told, versions without gaps). Correctness counts are totals over all ' +
            'rounds; times and rates are medians.',
          'Nothing livelocks when every append gets through below the bound of ' +
            `${MAX_ATTEMPTS} attempts; "most attempts" and "slowest wait" show how unevenly ` +
            'the turns fall (a compare-and-set guarantees that some writer always wins, not ' +
            'which one).',
        ],
      };
    }),
};

function figures(rounds: readonly ContentionRound[], load: ContentionLoad): Figure[] {
  const expected = load.writers * load.appendsPerWriter;
  const of = (pick: (round: ContentionRound) => number) => rounds.map(pick);
  const total = (
    what: string,
    unit: string,
    pick: (round: ContentionRound) => number,
    target?: Figure['target'],
  ): Figure => ({ what, unit, value: sum(of(pick)), rounds: of(pick), target });
  const typical = (what: string, unit: string, pick: (round: ContentionRound) => number) => ({
    what,
    unit,
    value: median(of(pick)),
    rounds: of(pick),
  });

  return [
    total(`appends completed, all rounds (${expected} a round)`, 'appends', (r) => r.completed, {
      on: 'value',
      atLeast: expected * rounds.length,
      atMost: expected * rounds.length,
    }),
    total('conflicts seen by losers', 'conflicts', (r) => r.conflicts),
    total('failed attempts that were not a conflict', 'attempts', (r) => r.otherErrors.length, {
      on: 'value',
      atMost: 0,
    }),
    total('versions lost, doubled or misreported', 'problems', (r) => r.versionProblems.length, {
      on: 'value',
      atMost: 0,
    }),
    total(`appends not through after ${MAX_ATTEMPTS} attempts`, 'appends', (r) => r.livelocked, {
      on: 'value',
      atMost: 0,
    }),
    typical('time until every writer finished', 's', (r) => r.seconds),
    typical('appends/s under contention', 'appends/s', (r) => r.completed / r.seconds),
    typical('most attempts one append needed', 'attempts', (r) => r.mostAttempts),
    typical('slowest append, first attempt to success', 'ms', (r) => r.slowestWaitMs),
  ];
}

function roundsTable(rounds: readonly ContentionRound[]) {
  return roundByRoundTable(
    `${WRITERS} writers on one stream, round by round`,
    ['completed', 'conflicts', 'other errors', 'version problems', 'seconds'],
    rounds,
    (round) => [
      round.completed,
      round.conflicts,
      [...new Set(round.otherErrors)].slice(0, 2).join('; ') || 0,
      round.versionProblems.slice(0, 2).join('; ') || 0,
      round.seconds,
    ],
  );
}
