import { BenchContext, DetailTable, Figure, Target } from '../harness/bench-types';
import { interleave } from '../harness/rounds';
import { median } from '../harness/stats';
import { closedLoop, LoadSample } from './closed-loop';

/** One call of a contender's operation by one worker of the load. */
export type Operation = (worker: number) => Promise<void>;

const ROUND_MS = { smoke: 500, full: 4_000 };
const WARM_UP_MS = { smoke: 150, full: 1_000 };

/**
 * The contenders in interleaved rounds of the same closed-loop load, each warmed up first
 * (prepared statements, JIT, pools) outside the rounds that count.
 */
export async function interleavedLoad<K extends string>(
  context: BenchContext,
  workers: number,
  contenders: Record<K, Operation>,
): Promise<Record<K, LoadSample[]>> {
  const names = Object.keys(contenders) as K[];
  for (const name of names) {
    await closedLoop(workers, WARM_UP_MS[context.scale], contenders[name]);
  }
  const rounds = Object.fromEntries(
    names.map((name) => [
      name,
      () => closedLoop(workers, ROUND_MS[context.scale], contenders[name]),
    ]),
  ) as Record<K, () => Promise<LoadSample>>;

  return interleave(context.rounds, rounds);
}

/** A figure of Relate's rounds next to the baseline's, each the median of its rounds. */
export function pairedFigure(
  described: { what: string; unit: string; target?: Target },
  relate: readonly number[],
  baseline: { name: string; rounds: readonly number[] },
): Figure {
  return {
    ...described,
    value: median(relate),
    rounds: [...relate],
    baseline: { name: baseline.name, value: median(baseline.rounds), rounds: [...baseline.rounds] },
  };
}

export const rates = (samples: readonly LoadSample[]) => samples.map((sample) => sample.rate);
export const p99s = (samples: readonly LoadSample[]) => samples.map((sample) => sample.p99Ms);

/**
 * Each contender's rate and p99 round by round, with the events the first (Relate) had stored
 * by the end of the round, warm-up aside: how the figures move as the tables grow.
 */
export function roundsTable(
  title: string,
  contenders: ReadonlyArray<{ name: string; samples: readonly LoadSample[] }>,
  eventsPerOperation: number,
): DetailTable {
  let stored = 0;

  return {
    title,
    header: [
      'round',
      ...contenders.map(({ name }) => `${name} events/s`),
      ...contenders.map(({ name }) => `${name} p99 ms`),
      `${contenders[0].name} events stored`,
    ],
    rows: contenders[0].samples.map((first, round) => {
      stored += first.operations * eventsPerOperation;

      return [
        round + 1,
        ...contenders.map(({ samples }) => samples[round].rate * eventsPerOperation),
        ...contenders.map(({ samples }) => samples[round].p99Ms),
        stored,
      ];
    }),
  };
}

/** A table of a row a round: the round's number, then `cells` of that round. */
export function roundByRoundTable<T>(
  title: string,
  header: readonly string[],
  rounds: readonly T[],
  cells: (round: T, index: number) => Array<string | number>,
): DetailTable {
  return {
    title,
    header: ['round', ...header],
    rows: rounds.map((round, index) => [index + 1, ...cells(round, index)]),
  };
}
