import { Client } from 'pg';

/** One probed change: how long after the answer it was seen, and how finely it was looked for. */
export interface Visibility {
  /** Milliseconds from the answer to the end of the first query that saw the change. */
  visibleMs: number;
  /** Milliseconds between the starts of two successive queries (the probe's resolution). */
  pollPeriodsMs: number[];
  /** False when the change was not seen within the timeout (visibleMs is then the timeout). */
  seen: boolean;
}

// A pause between polls keeps the probe from taking a whole core of a small machine.
const POLL_GAP_MS = 1;

/**
 * Polls one query on a connection of its own until it answers a row: a change becoming visible
 * in a read model. One probe at a time per connection (`busy`).
 */
export class VisibilityProbe {
  busy = false;

  private constructor(
    private readonly db: Client,
    private readonly query: string,
  ) {}

  static async open(databaseUrl: string, query: string): Promise<VisibilityProbe> {
    const db = new Client({ connectionString: databaseUrl, application_name: 'bench-probe' });
    db.on('error', () => undefined);
    await db.connect();

    return new VisibilityProbe(db, query);
  }

  /**
   * Polls with `values` until a row comes back. `since` is the answer's `performance.now()`
   * time. A change may have become visible at any moment since the previous poll began: the
   * figure is late by at most one poll period.
   */
  async waitVisible(values: unknown[], since: number, timeoutMs: number): Promise<Visibility> {
    this.busy = true;
    const pollPeriodsMs: number[] = [];
    try {
      for (let previous: number | undefined; ;) {
        const started = performance.now();
        if (previous !== undefined) pollPeriodsMs.push(started - previous);
        previous = started;
        const { rowCount } = await this.db.query({
          name: 'bench-visible',
          text: this.query,
          values,
        });
        const now = performance.now();
        if ((rowCount ?? 0) > 0) return { visibleMs: now - since, pollPeriodsMs, seen: true };
        if (now - since > timeoutMs) return { visibleMs: timeoutMs, pollPeriodsMs, seen: false };
        await new Promise((resolve) => setTimeout(resolve, POLL_GAP_MS));
      }
    } finally {
      this.busy = false;
    }
  }

  close(): Promise<void> {
    return this.db.end();
  }
}
