import { performance } from 'node:perf_hooks';

import { MetricsRegistry } from './metrics';

/**
 * Bounds of the event-loop delay histogram, in seconds. Fine below 50 ms, where a healthy
 * service lives (20 ms is the bound a service's p99 must stay under), coarse above it.
 */
export const EVENT_LOOP_DELAY_BOUNDS = [
  0.001, 0.002, 0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.1, 0.2, 0.5, 1, 2, 5,
] as const;

/** How often the event loop is sampled: a timer due every this many milliseconds. */
export const EVENT_LOOP_SAMPLE_MS = 10;

/**
 * The process's own health on `/ops/metrics`: its resident memory and heap, read at each scrape,
 * and its event-loop delay, as a cumulative histogram of how late a timer due every
 * {@link EVENT_LOOP_SAMPLE_MS} ms fired. A histogram rather than quantile gauges of a fixed
 * window: two scrapes taken at any moments give the exact distribution between them (what a
 * benchmark or Prometheus' `histogram_quantile` over a rate needs), whoever else scrapes.
 */
export class ProcessMetrics {
  private timer?: NodeJS.Timeout;
  private readonly delay;

  constructor(
    registry: MetricsRegistry,
    private readonly sampleMs = EVENT_LOOP_SAMPLE_MS,
  ) {
    this.delay = registry.histogram(
      'relate_event_loop_delay_seconds',
      `How late a timer due every ${sampleMs} ms fired: time the event loop was busy.`,
      EVENT_LOOP_DELAY_BOUNDS,
    );
    const resident = registry.gauge(
      'relate_process_resident_memory_bytes',
      'Resident memory of the process (RSS).',
    );
    const heap = registry.gauge('relate_process_heap_used_bytes', 'JavaScript heap in use.');
    registry.beforeCollect(async () => {
      const memory = process.memoryUsage();
      resident.set(memory.rss);
      heap.set(memory.heapUsed);
    });
  }

  /** Starts sampling; the timer never keeps the process alive. */
  start(): this {
    if (this.timer === undefined) {
      this.schedule(performance.now());
    }

    return this;
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Nest calls it when the application closes. */
  onModuleDestroy(): void {
    this.stop();
  }

  private schedule(from: number): void {
    const due = from + this.sampleMs;
    this.timer = setTimeout(() => {
      const now = performance.now();
      this.delay.observe(Math.max(0, now - due) / 1000);
      if (this.timer !== undefined) {
        this.schedule(now);
      }
    }, this.sampleMs);
    this.timer.unref();
  }
}
