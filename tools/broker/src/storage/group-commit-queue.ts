/**
 * Serialises writes to one file and batches them: while one flush (write + optional fdatasync)
 * runs, new items queue up and go out together in the next one. Every item's promise settles
 * only once its flush has finished, which is what lets a Produce be acknowledged safely.
 */
export class GroupCommitQueue<T> {
  private queued: Array<{ item: T; resolve: () => void; reject: (error: Error) => void }> = [];
  private running: Promise<void> | null = null;

  constructor(private readonly flush: (items: T[]) => Promise<void>) {}

  push(item: T): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queued.push({ item, resolve, reject });
      this.running ??= this.drainLoop();
    });
  }

  /** Resolves once everything queued so far has been flushed (or has failed). */
  async idle(): Promise<void> {
    while (this.running) {
      await this.running;
    }
  }

  private async drainLoop(): Promise<void> {
    // Let the current tick's pushes (e.g. all partitions of one request) join the first flush.
    await Promise.resolve();
    while (this.queued.length > 0) {
      const entries = this.queued;
      this.queued = [];
      try {
        await this.flush(entries.map((entry) => entry.item));
        entries.forEach((entry) => entry.resolve());
      } catch (error) {
        entries.forEach((entry) => entry.reject(error as Error));
      }
    }
    this.running = null;
  }
}
