import {
  Attributes,
  Counter,
  Histogram,
  Meter,
  metrics,
  ObservableResult,
} from '@opentelemetry/api';

export type MetricLabels = Record<string, string>;

/** A value that only goes up (events relayed, applied). */
export interface CounterMetric {
  add(value: number, labels?: MetricLabels): void;
  /**
   * Shows the series at 0 before its first event: a series that appears only when it first
   * goes up hides that first rise from a rate over it.
   */
  declare(labels: MetricLabels): void;
  value(labels?: MetricLabels): number;
}

/** A value set to what it is now (hold-back age, events waiting). */
export interface GaugeMetric {
  set(value: number, labels?: MetricLabels): void;
  value(labels?: MetricLabels): number;
}

/**
 * A distribution (delays, sizes): how many observations fell at or under each bound, their sum
 * and count, all cumulative, so that a reader gets any interval's distribution by subtracting
 * two reads, however many others read meanwhile.
 */
export interface HistogramMetric {
  observe(value: number, labels?: MetricLabels): void;
}

/** Prometheus' text exposition format, as `GET /ops/metrics` answers it. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const METRIC_NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * How long a scrape waits for a refresh. A database that stops answering without refusing (a
 * lost host, a frozen server) would otherwise hold every scrape past the scraper's timeout, and
 * the metrics pushed in-process (the outbox relay's) would go missing when most needed.
 */
export const REFRESH_TIMEOUT_MS = 2_000;

interface Series {
  labels: MetricLabels;
  value: number;
  /** A histogram's observations at or under each of its family's bounds (not cumulative). */
  buckets?: number[];
  count?: number;
}

interface Family {
  name: string;
  help: string;
  kind: 'counter' | 'gauge' | 'histogram';
  series: Map<string, Series>;
  /** A histogram's upper bounds, ascending; `+Inf` is implied. */
  bounds?: readonly number[];
}

/**
 * One service's metrics. Each instrument is registered through OpenTelemetry's API (a counter,
 * or an observable gauge reading the value kept here), so a process with an SDK exports them;
 * and the values are also kept in-process, so that the service can serve them itself in
 * Prometheus' text format without any SDK. Names are Prometheus names; a counter's sample in
 * the text carries the `_total` suffix, as Prometheus' own exporters write it.
 *
 * `beforeCollect` hooks refresh values read from elsewhere (a table's count) before a scrape.
 */
export class MetricsRegistry {
  private readonly meter: Meter;
  private readonly families = new Map<string, Family>();
  private readonly refreshers: Array<() => Promise<void>> = [];
  /** Refreshes still running, by refresher: a later scrape waits for it, never starts another. */
  private readonly refreshing = new Map<() => Promise<void>, Promise<void>>();
  private readonly counters = new Map<string, Counter>();
  private readonly histograms = new Map<string, Histogram>();

  /** `scope` names the instrumentation scope, e.g. `relate.contacts`. */
  constructor(scope: string) {
    this.meter = metrics.getMeter(scope);
  }

  counter(name: string, help: string): CounterMetric {
    const family = this.families.get(name) ?? this.register(name, help, 'counter');
    let instrument = this.counters.get(name);
    if (instrument === undefined) {
      instrument = this.meter.createCounter(name, { description: help });
      this.counters.set(name, instrument);
    }
    const exported = instrument;

    return {
      add: (value, labels = {}) => {
        if (value <= 0 || !Number.isFinite(value)) {
          return;
        }
        seriesOf(family, labels).value += value;
        exported.add(value, labels as Attributes);
      },
      declare: (labels) => {
        seriesOf(family, labels);
      },
      value: (labels = {}) => family.series.get(keyOf(labels))?.value ?? 0,
    };
  }

  gauge(name: string, help: string): GaugeMetric {
    const existing = this.families.get(name);
    const family = existing ?? this.register(name, help, 'gauge');
    if (existing === undefined) {
      this.meter
        .createObservableGauge(name, { description: help })
        .addCallback((result: ObservableResult) => {
          for (const { labels, value } of family.series.values()) {
            result.observe(value, labels as Attributes);
          }
        });
    }

    return {
      set: (value, labels = {}) => {
        seriesOf(family, labels).value = Number.isFinite(value) ? value : 0;
      },
      value: (labels = {}) => family.series.get(keyOf(labels))?.value ?? 0,
    };
  }

  /** `bounds`: the buckets' upper bounds, ascending (`+Inf` is added). */
  histogram(name: string, help: string, bounds: readonly number[]): HistogramMetric {
    if (bounds.some((bound, index) => index > 0 && bound <= bounds[index - 1])) {
      throw new Error(`Histogram ${name}: bounds must ascend`);
    }
    const existing = this.families.get(name);
    const family = existing ?? this.register(name, help, 'histogram', bounds);
    let exported = this.histograms.get(name);
    if (exported === undefined) {
      exported = this.meter.createHistogram(name, {
        description: help,
        advice: { explicitBucketBoundaries: [...bounds] },
      });
      this.histograms.set(name, exported);
    }
    const instrument = exported;
    const buckets = family.bounds ?? bounds;

    return {
      observe: (value, labels = {}) => {
        if (!Number.isFinite(value)) {
          return;
        }
        const series = seriesOf(family, labels);
        series.buckets ??= new Array<number>(buckets.length + 1).fill(0);
        const index = buckets.findIndex((bound) => value <= bound);
        series.buckets[index === -1 ? buckets.length : index] += 1;
        series.count = (series.count ?? 0) + 1;
        series.value += value;
        instrument.record(value, labels as Attributes);
      },
    };
  }

  /** Runs before every {@link collect}: refreshes values that are read, not pushed. */
  beforeCollect(refresh: () => Promise<void>): void {
    this.refreshers.push(refresh);
  }

  /**
   * Refreshes what is read on demand (a refresh that fails, or takes longer than `timeoutMs`,
   * keeps the last values), then renders.
   */
  async collect(timeoutMs = REFRESH_TIMEOUT_MS): Promise<string> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    const refreshed = Promise.all(this.refreshers.map((refresh) => this.refreshOnce(refresh)));
    await Promise.race([refreshed, late]);
    clearTimeout(timer);

    return this.prometheusText();
  }

  private refreshOnce(refresh: () => Promise<void>): Promise<void> {
    let running = this.refreshing.get(refresh);
    if (running === undefined) {
      running = refresh()
        .catch(() => undefined)
        .finally(() => this.refreshing.delete(refresh));
      this.refreshing.set(refresh, running);
    }

    return running;
  }

  /** Every family in Prometheus' text format; a family without series shows 0 unlabelled. */
  prometheusText(): string {
    const lines: string[] = [];
    for (const family of [...this.families.values()].sort((a, b) => a.name.localeCompare(b.name))) {
      const sample = family.kind === 'counter' ? `${family.name}_total` : family.name;
      lines.push(`# HELP ${sample} ${escapeHelp(family.help)}`);
      lines.push(`# TYPE ${sample} ${family.kind}`);
      const series = [...family.series.values()];
      if (series.length === 0 && family.kind !== 'histogram') {
        lines.push(`${sample} 0`);
      }
      for (const one of series) {
        lines.push(...renderSeries(family, one));
      }
    }

    return `${lines.join('\n')}\n`;
  }

  private register(
    name: string,
    help: string,
    kind: Family['kind'],
    bounds?: readonly number[],
  ): Family {
    if (!METRIC_NAME.test(name) || name.endsWith('_total')) {
      throw new Error(`Invalid metric name ${name}: [a-z_][a-z0-9_]*, without _total`);
    }
    const family: Family = { name, help, kind, series: new Map(), bounds };
    this.families.set(name, family);

    return family;
  }
}

function keyOf(labels: MetricLabels): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

function seriesOf(family: Family, labels: MetricLabels): Series {
  const key = keyOf(labels);
  let series = family.series.get(key);
  if (series === undefined) {
    series = { labels: { ...labels }, value: 0 };
    family.series.set(key, series);
  }

  return series;
}

/** A counter's or gauge's sample; a histogram's cumulative buckets, sum and count. */
function renderSeries(family: Family, series: Series): string[] {
  const { name, kind, bounds = [] } = family;
  if (kind !== 'histogram') {
    const sample = kind === 'counter' ? `${name}_total` : name;

    return [`${sample}${renderLabels(series.labels)} ${renderValue(series.value)}`];
  }
  const lines: string[] = [];
  let cumulative = 0;
  [...bounds.map(String), '+Inf'].forEach((le, index) => {
    cumulative += series.buckets?.[index] ?? 0;
    lines.push(`${name}_bucket${renderLabels({ ...series.labels, le })} ${cumulative}`);
  });
  lines.push(`${name}_sum${renderLabels(series.labels)} ${renderSum(series.value)}`);
  lines.push(`${name}_count${renderLabels(series.labels)} ${series.count ?? 0}`);

  return lines;
}

function renderLabels(labels: MetricLabels): string {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) {
    return '';
  }

  return `{${entries.map(([name, value]) => `${name}="${escapeLabel(value)}"`).join(',')}}`;
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(help: string): string {
  return help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

/** A sum of small values (seconds of delay) keeps its precision: rates are taken over it. */
function renderSum(value: number): string {
  return String(Math.round(value * 1e6) / 1e6);
}

function renderValue(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1000) / 1000);
}
