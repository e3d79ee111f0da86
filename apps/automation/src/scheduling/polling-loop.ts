import { Logger } from '@nestjs/common';

/**
 * Runs `round` again `intervalMs` after the previous round ended, until stopped; a failed round
 * is logged and the next one tries again. Rounds never overlap, and `stop()` waits for the one in
 * progress, so a service stops only after its current send or delivery is recorded.
 */
export class PollingLoop {
  private timer?: NodeJS.Timeout;
  private running: Promise<void> = Promise.resolve();
  private stopping = false;

  constructor(
    private readonly what: string,
    private readonly intervalMs: number,
    private readonly round: () => Promise<unknown>,
    private readonly logger: Logger,
  ) {}

  /** True once `stop()` was called: a round should end early. */
  get stopped(): boolean {
    return this.stopping;
  }

  start(): void {
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private schedule(): void {
    if (this.stopping) {
      return;
    }
    this.timer = setTimeout(() => {
      this.running = this.round()
        .then(() => undefined)
        .catch((error: unknown) =>
          this.logger.warn(`${this.what} round failed; retrying`, {
            error: error instanceof Error ? error.message : String(error),
          }),
        )
        .finally(() => this.schedule());
    }, this.intervalMs);
  }
}
