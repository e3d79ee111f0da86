export interface DuplicateShare {
  /** Share of records delivered more than once. */
  share: number;
  /** Of the repeats, the share delivered later, after other records of the partition. */
  outOfPlaceShare: number;
  /** How many records later an out-of-place repeat comes, at most. */
  maxLag: number;
}

export interface InjectedDuplicates<T> {
  sequence: T[];
  /** Records added: each repeat of a record counts once. */
  injected: number;
  /** Repeats delivered after later records, as after a rebalance. */
  outOfPlace: number;
}

/**
 * One partition's records as a consumer might receive them with at-least-once delivery: a share
 * repeated once or twice, right away (a retried fetch) or after later records (the uncommitted
 * tail read again by the next owner of the partition after a rebalance).
 */
export function withDuplicates<T>(
  records: readonly T[],
  options: DuplicateShare,
  random: () => number = Math.random,
): InjectedDuplicates<T> {
  const later = new Map<number, T[]>();
  const sequence: T[] = [];
  let injected = 0;
  let outOfPlace = 0;
  records.forEach((record, index) => {
    sequence.push(record);
    if (random() < options.share) {
      const repeats = random() < 0.5 ? 1 : 2;
      for (let repeat = 0; repeat < repeats; repeat++) {
        injected += 1;
        if (random() < options.outOfPlaceShare) {
          outOfPlace += 1;
          const at = index + 1 + Math.floor(random() * options.maxLag);
          later.set(at, [...(later.get(at) ?? []), record]);
        } else {
          sequence.push(record);
        }
      }
    }
    sequence.push(...(later.get(index) ?? []));
    later.delete(index);
  });
  for (const at of [...later.keys()].sort((a, b) => a - b)) {
    sequence.push(...(later.get(at) ?? []));
  }

  return { sequence, injected, outOfPlace };
}
