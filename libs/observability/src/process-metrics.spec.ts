import { MetricsRegistry } from './metrics';
import { ProcessMetrics } from './process-metrics';

/** A sample's value from Prometheus text, e.g. `relate_x_bucket{le="0.05"}`. */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name} `));

  return line === undefined ? NaN : Number(line.slice(name.length + 1));
}

function busyFor(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    // Holds the event loop, as a slow synchronous handler would.
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(ProcessMetrics.name, () => {
  let metrics: ProcessMetrics | undefined;

  afterEach(() => metrics?.stop());

  it('publishes resident memory and heap at each scrape', async () => {
    const registry = new MetricsRegistry('relate.test');
    metrics = new ProcessMetrics(registry).start();

    const text = await registry.collect();

    expect(sample(text, 'relate_process_resident_memory_bytes')).toBeGreaterThan(1e6);
    expect(sample(text, 'relate_process_heap_used_bytes')).toBeGreaterThan(1e5);
  });

  it('counts a blocked event loop in the delay buckets above the time it was held', async () => {
    const registry = new MetricsRegistry('relate.test');
    metrics = new ProcessMetrics(registry, 5).start();
    await sleep(50);
    const before = await registry.collect();
    const over100ms = (text: string) =>
      sample(text, 'relate_event_loop_delay_seconds_count') -
      sample(text, 'relate_event_loop_delay_seconds_bucket{le="0.1"}');

    busyFor(150);
    await sleep(30);
    const after = await registry.collect();

    expect(sample(before, 'relate_event_loop_delay_seconds_count')).toBeGreaterThan(0);
    expect(over100ms(after) - over100ms(before)).toBeGreaterThanOrEqual(1);
    expect(sample(after, 'relate_event_loop_delay_seconds_sum')).toBeGreaterThan(0.1);
  });

  it('stops sampling when stopped', async () => {
    const registry = new MetricsRegistry('relate.test');
    metrics = new ProcessMetrics(registry, 5).start();
    await sleep(30);
    metrics.onModuleDestroy();
    const stopped = sample(await registry.collect(), 'relate_event_loop_delay_seconds_count');
    await sleep(30);

    expect(sample(await registry.collect(), 'relate_event_loop_delay_seconds_count')).toBe(stopped);
  });
});
