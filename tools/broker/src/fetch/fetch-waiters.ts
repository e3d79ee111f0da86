export type WakeReason = 'data' | 'timeout' | 'closed';

interface Waiter {
  keys: string[];
  timer: NodeJS.Timeout;
  wake: (reason: WakeReason) => void;
}

export interface WatchedPartition {
  topic: string;
  partition: number;
  /** The high watermark the fetch saw when it found too little data. */
  seenHighWatermark: number;
  currentHighWatermark: () => number;
}

/**
 * Parked Fetch requests, indexed by partition, so an append wakes exactly the fetches that
 * wait on its partition the moment its data becomes readable.
 */
export class FetchWaiters {
  private readonly byPartition = new Map<string, Set<Waiter>>();
  private readonly all = new Set<Waiter>();

  /**
   * Resolves on the first append to any watched partition, after `timeoutMs`, or when the
   * broker closes. If a watched partition already moved past what the fetch saw (an append
   * landed while the fetch was reading), it resolves at once rather than missing that wake-up.
   */
  wait(partitions: WatchedPartition[], timeoutMs: number): Promise<WakeReason> {
    if (partitions.some((p) => p.currentHighWatermark() !== p.seenHighWatermark)) {
      return Promise.resolve('data');
    }

    return new Promise((resolve) => {
      const keys = partitions.map((p) => partitionKey(p.topic, p.partition));
      const waiter: Waiter = {
        keys,
        timer: setTimeout(() => waiter.wake('timeout'), Math.max(0, timeoutMs)),
        wake: (reason) => {
          this.remove(waiter);
          resolve(reason);
        },
      };
      this.all.add(waiter);
      for (const key of keys) {
        let set = this.byPartition.get(key);
        if (!set) {
          set = new Set();
          this.byPartition.set(key, set);
        }
        set.add(waiter);
      }
    });
  }

  notify(topic: string, partition: number): void {
    const set = this.byPartition.get(partitionKey(topic, partition));
    if (set) {
      [...set].forEach((waiter) => waiter.wake('data'));
    }
  }

  /** Wakes every parked fetch of a topic, e.g. because it was deleted. */
  notifyTopic(topic: string): void {
    [...this.all]
      .filter((waiter) => waiter.keys.some((key) => key.endsWith(`:${topic}`)))
      .forEach((waiter) => waiter.wake('data'));
  }

  closeAll(): void {
    [...this.all].forEach((waiter) => waiter.wake('closed'));
  }

  get size(): number {
    return this.all.size;
  }

  private remove(waiter: Waiter): void {
    clearTimeout(waiter.timer);
    this.all.delete(waiter);
    for (const key of waiter.keys) {
      const set = this.byPartition.get(key);
      set?.delete(waiter);
      if (set?.size === 0) {
        this.byPartition.delete(key);
      }
    }
  }
}

function partitionKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}
