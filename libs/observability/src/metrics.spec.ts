import { metrics, MeterProvider, ObservableCallback } from '@opentelemetry/api';

import { MetricsRegistry } from './metrics';

describe(MetricsRegistry.name, () => {
  afterEach(() => metrics.disable());

  it('renders counters and gauges in Prometheus text format', () => {
    const registry = new MetricsRegistry('relate.test');
    const relayed = registry.counter('relate_outbox_events_relayed', 'Events published.');
    const age = registry.gauge('relate_outbox_hold_back_age_seconds', 'Oldest open transaction.');
    registry.gauge('relate_outbox_events_waiting', 'Events not yet published.');
    relayed.add(3);
    relayed.add(2);
    age.set(12.3456);

    expect(registry.prometheusText()).toBe(
      [
        '# HELP relate_outbox_events_relayed_total Events published.',
        '# TYPE relate_outbox_events_relayed_total counter',
        'relate_outbox_events_relayed_total 5',
        '# HELP relate_outbox_events_waiting Events not yet published.',
        '# TYPE relate_outbox_events_waiting gauge',
        'relate_outbox_events_waiting 0',
        '# HELP relate_outbox_hold_back_age_seconds Oldest open transaction.',
        '# TYPE relate_outbox_hold_back_age_seconds gauge',
        'relate_outbox_hold_back_age_seconds 12.346',
        '',
      ].join('\n'),
    );
  });

  it('keeps one series per label set, sorted and escaped', () => {
    const registry = new MetricsRegistry('relate.test');
    const applied = registry.counter('relate_projection_events_applied', 'Applied.');
    applied.add(1, { projection: 'people', service: 'contacts' });
    applied.add(4, { service: 'contacts', projection: 'people' });
    applied.add(1, { projection: 'odd "name"\\\n' });
    applied.add(-1, { projection: 'people', service: 'contacts' });

    const text = registry.prometheusText();

    expect(text).toContain(
      'relate_projection_events_applied_total{projection="people",service="contacts"} 5\n',
    );
    expect(text).toContain(
      'relate_projection_events_applied_total{projection="odd \\"name\\"\\\\\\n"} 1\n',
    );
    expect(applied.value({ service: 'contacts', projection: 'people' })).toBe(5);
  });

  it('shows a declared series at 0 before its first event', () => {
    const registry = new MetricsRegistry('relate.test');
    const applied = registry.counter('relate_projection_events_applied', 'Applied.');
    applied.declare({ projection: 'deals' });
    applied.declare({ projection: 'deals' });

    expect(registry.prometheusText()).toContain(
      'relate_projection_events_applied_total{projection="deals"} 0\n',
    );
    expect(registry.prometheusText()).not.toContain('relate_projection_events_applied_total 0');
  });

  it('refreshes read values before collecting, keeping the last on failure', async () => {
    const registry = new MetricsRegistry('relate.test');
    const waiting = registry.gauge('relate_parked_events_waiting', 'Parked.');
    let next = 2;
    registry.beforeCollect(async () => waiting.set(next, { projection: 'people' }));
    registry.beforeCollect(() => Promise.reject(new Error('database down')));

    expect(await registry.collect()).toContain(
      'relate_parked_events_waiting{projection="people"} 2',
    );
    next = 0;
    expect(await registry.collect()).toContain(
      'relate_parked_events_waiting{projection="people"} 0',
    );
  });

  it('answers with the last values when a refresh does not finish in time', async () => {
    const registry = new MetricsRegistry('relate.test');
    const waiting = registry.gauge('relate_outbox_events_waiting', 'Waiting.');
    waiting.set(7, { relay: 'crm.pipeline.events' });
    const refresh = jest.fn(() => new Promise<void>(() => undefined));
    registry.beforeCollect(refresh);

    const started = Date.now();
    const text = await registry.collect(50);

    expect(Date.now() - started).toBeLessThan(1_000);
    expect(text).toContain('relate_outbox_events_waiting{relay="crm.pipeline.events"} 7');
    // Scrapes meanwhile do not pile up refreshes (each would hold a database connection).
    await registry.collect(10);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('registers every instrument through the OpenTelemetry API', () => {
    const added: Array<[string, number]> = [];
    const callbacks = new Map<string, ObservableCallback>();
    const meter = {
      createCounter: (name: string) => ({ add: (value: number) => added.push([name, value]) }),
      createObservableGauge: (name: string) => ({
        addCallback: (callback: ObservableCallback) => callbacks.set(name, callback),
      }),
    };
    metrics.setGlobalMeterProvider({ getMeter: () => meter } as unknown as MeterProvider);
    const registry = new MetricsRegistry('relate.test');
    registry.counter('relate_outbox_events_relayed', 'Published.').add(7);
    registry.gauge('relate_outbox_events_waiting', 'Waiting.').set(4, { relay: 'contacts' });
    const observed: Array<[number, unknown]> = [];
    void callbacks.get('relate_outbox_events_waiting')?.({
      observe: (value: number, labels?: unknown) => observed.push([value, labels]),
    });

    expect(added).toEqual([['relate_outbox_events_relayed', 7]]);
    expect(observed).toEqual([[4, { relay: 'contacts' }]]);
  });

  it('renders a histogram as cumulative buckets, sum and count', () => {
    const registry = new MetricsRegistry('relate.test');
    const delay = registry.histogram('relate_event_loop_delay_seconds', 'Delay.', [0.01, 0.1]);

    expect(registry.prometheusText()).toBe(
      [
        '# HELP relate_event_loop_delay_seconds Delay.',
        '# TYPE relate_event_loop_delay_seconds histogram',
        '',
      ].join('\n'),
    );
    delay.observe(0.002);
    delay.observe(0.05);
    delay.observe(0.1);
    delay.observe(3);
    delay.observe(NaN);

    expect(registry.prometheusText()).toContain(
      [
        'relate_event_loop_delay_seconds_bucket{le="0.01"} 1',
        'relate_event_loop_delay_seconds_bucket{le="0.1"} 3',
        'relate_event_loop_delay_seconds_bucket{le="+Inf"} 4',
        'relate_event_loop_delay_seconds_sum 3.152',
        'relate_event_loop_delay_seconds_count 4',
      ].join('\n'),
    );
    expect(() => registry.histogram('relate_x_seconds', 'x', [1, 1])).toThrow(/ascend/);
  });

  it('refuses names Prometheus would not take', () => {
    const registry = new MetricsRegistry('relate.test');

    expect(() => registry.gauge('relate-bad', 'x')).toThrow(/Invalid metric name/);
    expect(() => registry.counter('relate_x_total', 'x')).toThrow(/Invalid metric name/);
  });
});
