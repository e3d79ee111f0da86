import { elapsedMs } from '../harness/stats';

export interface SampleBudget {
  /** At least this many samples of each contender, even past the time budget. */
  minSamples: number;
  maxSamples: number;
  /** Stop taking samples (past minSamples) once this long has passed. */
  budgetMs: number;
  /** Calls of each contender before the samples, not kept (connections, plans, caches). */
  warmup: number;
}

/**
 * Latencies (ms) of each contender, called one at a time and alternately (A B, B A, ...) so
 * that a machine getting busier weighs on both alike. A call that throws stops the sampling.
 */
export async function sampleLatencies<K extends string>(
  budget: SampleBudget,
  contenders: Record<K, (sample: number) => Promise<void>>,
): Promise<Record<K, number[]>> {
  const names = Object.keys(contenders) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
    K,
    number[]
  >;
  for (let call = 0; call < budget.warmup; call += 1) {
    for (const name of names) await contenders[name](call);
  }
  const started = process.hrtime.bigint();
  for (let sample = 0; sample < budget.maxSamples; sample += 1) {
    if (sample >= budget.minSamples && elapsedMs(started) > budget.budgetMs) break;
    const order = sample % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      const callStarted = process.hrtime.bigint();
      await contenders[name](sample);
      samples[name].push(elapsedMs(callStarted));
    }
  }

  return samples;
}
