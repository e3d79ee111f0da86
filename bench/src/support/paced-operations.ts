/**
 * Starts `operate` at a fixed rate, open loop (a slow answer never delays the next start), with
 * at most `maxInFlight` at once: a start that falls due while that many are in flight is
 * skipped and counted. Ends once `stopped(elapsedMs)` says so and those in flight have ended;
 * `operate` must not reject (it counts its own failures).
 */
export async function paceOperations(
  ratePerSecond: number,
  maxInFlight: number,
  stopped: (elapsedMs: number) => boolean,
  operate: () => Promise<void>,
): Promise<{ started: number; skipped: number }> {
  const pending = new Set<Promise<void>>();
  const began = performance.now();
  const intervalMs = 1000 / ratePerSecond;
  const counts = { started: 0, skipped: 0 };
  for (let due = 0; ; due += 1) {
    const dueAt = began + due * intervalMs;
    if (stopped(dueAt - began)) break;
    await sleepUntil(dueAt);
    if (stopped(dueAt - began)) break;
    if (pending.size >= maxInFlight) {
      counts.skipped += 1;
      continue;
    }
    const operation = operate();
    counts.started += 1;
    pending.add(operation);
    void operation.finally(() => pending.delete(operation));
  }
  await Promise.all(pending);

  return counts;
}

/** Resolves at `moment` (a `performance.now()` time), to within the timer's millisecond. */
function sleepUntil(moment: number): Promise<void> {
  const wait = moment - performance.now();
  if (wait <= 0) return Promise.resolve();

  return new Promise((resolve) => setTimeout(resolve, wait));
}
