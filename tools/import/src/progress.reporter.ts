/** Prints how far a phase of the import got, at most once per interval, plus a final line. */
export class ProgressReporter {
  private phase?: { name: string; total: number; done: number; failed: number; startedAt: number };
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => number = () => Date.now(),
    private readonly intervalMs = 1_000,
  ) {}

  start(name: string, total: number): void {
    this.finish();
    this.phase = { name, total, done: 0, failed: 0, startedAt: this.now() };
    this.timer = setInterval(() => this.write(this.line()), this.intervalMs);
    this.timer.unref();
  }

  advance(outcome: 'done' | 'failed' = 'done'): void {
    if (!this.phase) return;
    this.phase.done += 1;
    if (outcome === 'failed') this.phase.failed += 1;
  }

  /** Ends the current phase with its final line. */
  finish(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (this.phase) this.write(this.line());
    this.phase = undefined;
  }

  line(): string {
    if (!this.phase) return '';
    const { name, total, done, failed, startedAt } = this.phase;
    const seconds = Math.max((this.now() - startedAt) / 1000, 0.001);
    const rate = Math.round(done / seconds);
    const width = String(total).length;
    const failures = failed > 0 ? `  ${failed} failed` : '';

    return (
      `  ${name.padEnd(10)} ${String(done).padStart(width)}/${total}` +
      `  ${rate}/s  ${seconds.toFixed(1)} s${failures}`
    );
  }
}
