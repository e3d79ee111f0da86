import { elapsedMs, percentile } from '../harness/stats';

/** What one contender did in one round of a closed-loop load. */
export interface LoadSample {
  operations: number;
  seconds: number;
  /** Operations a second over the round. */
  rate: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * `workers` loops, each calling `operation(worker)` and waiting for it before the next call,
 * until `durationMs` has passed: as many in flight as there are workers, all the time. A
 * round of fixed length rather than a fixed count keeps the run's time the same however fast
 * a contender is. An operation that fails ends the round with its error.
 */
export async function closedLoop(
  workers: number,
  durationMs: number,
  operation: (worker: number) => Promise<void>,
): Promise<LoadSample> {
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const worker = async (index: number) => {
    while (elapsedMs(started) < durationMs) {
      const sent = process.hrtime.bigint();
      await operation(index);
      latencies.push(elapsedMs(sent));
    }
  };
  await Promise.all(Array.from({ length: workers }, (_, index) => worker(index)));
  const seconds = elapsedMs(started) / 1000;

  return {
    operations: latencies.length,
    seconds,
    rate: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}
