/**
 * Runs every contender once a round for `rounds` rounds, in an order that alternates round by
 * round (A B, B A, ...), so that a machine getting busier or quieter during the run weighs on
 * both alike. Answers each contender's samples in round order.
 */
export async function interleave<K extends string, S>(
  rounds: number,
  contenders: Record<K, () => Promise<S>>,
): Promise<Record<K, S[]>> {
  const names = Object.keys(contenders) as K[];
  const samples = Object.fromEntries(names.map((name) => [name, [] as S[]])) as Record<K, S[]>;
  for (let round = 0; round < rounds; round += 1) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) {
      samples[name].push(await contenders[name]());
    }
  }

  return samples;
}

/** Calls `work` with at most `concurrency` calls in flight until `count` calls have finished. */
export async function inFlight(
  concurrency: number,
  count: number,
  work: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const index = next;
      next += 1;
      await work(index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
}
