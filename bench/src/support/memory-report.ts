import { DetailTable, Figure } from '../harness/bench-types';
import { median } from '../harness/stats';
import { STACK_SERVICES } from '../../../tools/chaos/src/support/chaos-stack';
import { DelayBetween } from './event-loop-delay';
import { IdleRuntime } from './idle-runtimes';
import { MIB } from './resident-memory';
import { SoakCounts } from './soak-load';

// What the memory measurement (12) gathers, and the figures, tables and notes it makes of it.

/** How long each phase lasts, in milliseconds. */
export interface Phases {
  /** After the start, before anything is measured: connections made, first GCs done. */
  settle: number;
  /** Idle, sampled. */
  idle: number;
  /** The closed-loop load that tells what the system sustains. */
  probe: number;
  /** The whole soak under load, its warm-up included. */
  soak: number;
  /** The length of the windows growth compares; the warm-up lasts `WARM_UP_WINDOWS` of them. */
  window: number;
  /** Between two samples of every process. */
  sample: number;
}

/**
 * Windows of the soak left out as its warm-up. In the soak's second minute the services' resident
 * memory sat up to 20 MiB under where it stayed from the third minute to the tenth (three runs,
 * most backend services, while their JavaScript heap did not dip): a window there would read that
 * recovery as growth.
 */
export const WARM_UP_WINDOWS = 2;

/** The soak's length in a full run; `RELATE_BENCH_SOAK_MINUTES` shortens it for a trial. */
export const FULL_SOAK_MINUTES = 10;

/** One sample of every process: resident memory, and the services' heap where they publish it. */
export interface Sample {
  /** Milliseconds since the phase began. */
  at: number;
  rss: Record<string, number | undefined>;
  /** Resident memory without mapped files (`RssAnon`). */
  anon: Record<string, number | undefined>;
  heap: Record<string, number | undefined>;
}

/** The idle process that measures its own event-loop delay beside the services. */
export const PROBE = 'idle Node.js process';

/** The idle runtime whose memory each service's is set against. */
export const EMPTY_NEST = 'empty Nest app';

/** The services that publish their process figures on `/ops/metrics`. */
// TODO(#5): the gateway serves no /ops/metrics (it does not run on the services' platform
// module), so its event-loop delay and heap go unmeasured; its resident memory is read here.
export const SCRAPED: readonly string[] = STACK_SERVICES.filter((service) => service !== 'gateway');

export interface IdleFigures {
  samples: Sample[];
  delay: Record<string, DelayBetween>;
}

export interface SoakFigures {
  /** The warm-up's length, and that of the windows growth compares. */
  window: number;
  capacity: number;
  rate: number;
  counts: SoakCounts;
  samples: Sample[];
  /** Over the soak after its warm-up. */
  delay: Record<string, DelayBetween>;
  restarts: Record<string, number>;
}

export type Measured = 'rss' | 'anon' | 'heap';

/** The median of a process's values over the samples in `[from, to)` milliseconds. */
export function medianOf(
  samples: Sample[],
  of: Measured,
  name: string,
  from = 0,
  to = Infinity,
): number {
  const values = samples
    .filter((sample) => sample.at >= from && sample.at < to)
    .map((sample) => sample[of][name])
    .filter((value): value is number => value !== undefined);

  return median(values);
}

/** Figures of one process over the phases, as the report shows them. */
interface ProcessFigures {
  idleRss: number;
  loadRss: number;
  startRss: number;
  endRss: number;
  maxRss: number;
  growth: number;
}

function processFigures(soak: SoakFigures, idle: IdleFigures, name: string, of: Measured) {
  const { window } = soak;
  const lastWindow = soak.samples.at(-1)!.at - window;
  const warmUp = WARM_UP_WINDOWS * window;
  const startRss = medianOf(soak.samples, of, name, warmUp, warmUp + window) / MIB;
  const endRss = medianOf(soak.samples, of, name, lastWindow) / MIB;

  return {
    idleRss: medianOf(idle.samples, of, name) / MIB,
    loadRss: medianOf(soak.samples, of, name, warmUp) / MIB,
    startRss,
    endRss,
    maxRss: Math.max(...soak.samples.map((s) => s[of][name] ?? 0)) / MIB,
    growth: (endRss / startRss - 1) * 100,
  } satisfies ProcessFigures;
}

export function memoryReport(
  runtimes: IdleRuntime[],
  idle: IdleFigures,
  soak: SoakFigures,
  phases: Phases,
) {
  const nestIdle = medianOf(idle.samples, 'rss', EMPTY_NEST) / MIB;
  const nest = { name: 'empty Nest app, idle', value: round(nestIdle), rounds: [round(nestIdle)] };
  const probeP99 = soak.delay[PROBE]?.p99Ms ?? NaN;
  const probe = { name: `${PROBE} beside it`, value: round(probeP99), rounds: [round(probeP99)] };
  const figures: Figure[] = [];
  const rows: DetailTable['rows'] = [];
  for (const service of STACK_SERVICES) {
    const memory = processFigures(soak, idle, service, 'rss');
    const delay = soak.delay[service];
    figures.push(
      figure(`resident memory idle, ${service}`, 'MiB', memory.idleRss, nest),
      figure(`resident memory under load, ${service}`, 'MiB', memory.loadRss, nest),
      figure(`resident memory growth over the soak, ${service}`, '%', memory.growth, undefined, {
        on: 'value',
        atMost: 10,
      }),
    );
    if (delay !== undefined) {
      const what = `event-loop delay p99 over the soak, ${service}`;
      figures.push(figure(what, 'ms', delay.p99Ms, probe, { on: 'value', atMost: 20 }));
    }
    rows.push(serviceRow(service, memory, nestIdle, idle.delay[service], delay, soak));
  }

  return {
    figures,
    tables: [
      {
        title: 'Per service: resident memory (MiB), event-loop delay (ms)',
        header: [
          'process',
          'idle',
          'idle beyond empty Nest',
          'under load',
          'soak start',
          'soak end',
          'soak max',
          'growth',
          'delay p99 idle',
          'delay p99 soak',
          'delay max soak',
          'restarts',
        ],
        rows: [...rows, probeRow(idle, soak)],
      },
      heapTable(idle, soak),
      seriesTable(soak, phases),
      {
        title: 'Idle runtimes (baselines), resident memory (MiB)',
        header: ['runtime', 'idle'],
        rows: runtimes.map(({ name }) => [name, mib(medianOf(idle.samples, 'rss', name) / MIB)]),
      },
    ],
    notes: notes(soak, phases),
  };
}

function serviceRow(
  service: string,
  memory: ProcessFigures,
  nestIdle: number,
  idleDelay: DelayBetween | undefined,
  delay: DelayBetween | undefined,
  soak: SoakFigures,
): Array<string | number> {
  return [
    service,
    mib(memory.idleRss),
    mib(memory.idleRss - nestIdle),
    mib(memory.loadRss),
    mib(memory.startRss),
    mib(memory.endRss),
    mib(memory.maxRss),
    pct(memory.growth),
    ms(idleDelay?.p99Ms),
    ms(delay?.p99Ms),
    delay === undefined ? 'n/a' : `≤ ${ms(delay.maxAtMostMs)}`,
    soak.restarts[service],
  ];
}

/** The probe's delay in the same columns: what the machine alone caused. */
function probeRow(idle: IdleFigures, soak: SoakFigures): Array<string | number> {
  const delay = soak.delay[PROBE];
  const none = Array<string>(7).fill('-');

  return [
    `${PROBE} (delay baseline)`,
    ...none,
    ms(idle.delay[PROBE]?.p99Ms),
    ms(delay?.p99Ms),
    delay === undefined ? 'n/a' : `≤ ${ms(delay.maxAtMostMs)}`,
    '-',
  ];
}

function heapTable(idle: IdleFigures, soak: SoakFigures): DetailTable {
  return {
    title:
      'Per service: resident memory without mapped files (RssAnon, MiB), JavaScript heap in ' +
      'use (MiB), mean event-loop delay over the soak (ms)',
    header: [
      'service',
      'anon idle',
      'anon soak start',
      'anon soak end',
      'anon growth',
      'heap idle',
      'heap soak start',
      'heap soak end',
      'heap growth',
      'delay mean',
      'delay samples',
    ],
    rows: STACK_SERVICES.map((service) => {
      const anon = processFigures(soak, idle, service, 'anon');
      const heap = processFigures(soak, idle, service, 'heap');
      const delay = soak.delay[service];
      const scraped = SCRAPED.includes(service);

      return [
        service,
        mib(anon.idleRss),
        mib(anon.startRss),
        mib(anon.endRss),
        pct(anon.growth),
        ...(scraped
          ? [mib(heap.idleRss), mib(heap.startRss), mib(heap.endRss), pct(heap.growth)]
          : ['n/a', 'n/a', 'n/a', 'n/a']),
        ms(delay?.meanMs),
        delay?.samples ?? 'n/a',
      ];
    }),
  };
}

/** Resident memory window by window over the soak: a plateau, or a steady climb. */
function seriesTable(soak: SoakFigures, phases: Phases): DetailTable {
  const windows = Math.round(phases.soak / soak.window);
  const seconds = (value: number) => Math.round(value / 100) / 10;

  return {
    title: `Resident memory over the soak, median of each ${seconds(soak.window)} s (MiB)`,
    header: ['from (s)', ...STACK_SERVICES],
    rows: Array.from({ length: windows }, (_, index) => {
      const from = index * soak.window;
      const median = (service: string) =>
        mib(medianOf(soak.samples, 'rss', service, from, from + soak.window) / MIB);

      return [seconds(from), ...STACK_SERVICES.map(median)];
    }),
  };
}

function notes(soak: SoakFigures, phases: Phases): string[] {
  const seconds = (value: number) => `${Math.round(value / 100) / 10} s`;
  const { sent, answered, failed, skipped, failures } = soak.counts;
  const failedHow = Object.entries(failures)
    .sort(([, a], [, b]) => b - a)
    .map(([how, count]) => `${count} × ${how}`)
    .join('; ');

  return [
    `Six services as \`npm start\` runs them (a fresh system, its own PostgreSQL and broker). ` +
      `Resident memory is \`VmRSS\` of each service's process (\`/proc/<pid>/status\`), sampled ` +
      `every ${seconds(phases.sample)}. Idle: the median over ${seconds(phases.idle)} after ` +
      `the capacity probe and ${seconds(phases.settle)} of settling. The baselines are idle ` +
      `processes measured in the ` +
      `same run, beside the idle services: Node.js alone, Node.js with the TypeScript loader the ` +
      `services run under, and an empty Nest application under that loader; "idle beyond empty ` +
      `Nest" is what a service costs beyond its runtime and framework.`,
    `Load: a command (company, person, deal, stage move, activity, task) and a read (deal and ` +
      `company lists, the forecast report, a person's timeline, tasks) in turn through the ` +
      `gateway, at ${round(soak.rate)} operations/s: a quarter of the ${round(soak.capacity)}/s ` +
      `the system sustained with 16 in flight, measured first (${seconds(phases.probe)}), before ` +
      `the settling and the idle phase. ` +
      `Over the soak: ${sent} sent, ${answered} answered 2xx, ${failed} failed` +
      `${failedHow === '' ? '' : ` (${failedHow})`}, ${skipped} skipped (due while 64 were in ` +
      `flight).`,
    `Soak: ${seconds(phases.soak)} under that load. The first ` +
      `${seconds(WARM_UP_WINDOWS * phases.window)} are a ` +
      `warm-up; "under load" is the median after it. Growth compares the median resident memory ` +
      `of the last ${seconds(phases.window)} ("soak end") with that of the ` +
      `${seconds(phases.window)} after the warm-up ("soak start"): end / start - 1. In a full ` +
      `run the soak lasts ${FULL_SOAK_MINUTES} minutes; \`RELATE_BENCH_SOAK_MINUTES\` shortens ` +
      `it for a trial (the windows scale with it). Resident memory counts the mapped files too ` +
      `(code, the native libraries of the TypeScript loader), pages the kernel may drop and read ` +
      `again when other processes need memory; \`RssAnon\`, the process's own pages, and the ` +
      `JavaScript heap tell a leak from that.`,
    `Event-loop delay: each service publishes how late a timer due every 10 ms fires as a ` +
      `cumulative histogram (\`relate_event_loop_delay_seconds\` on \`/ops/metrics\`); the p99 ` +
      `is that of every sample between a scrape at the end of the warm-up and one at the end of ` +
      `the soak, interpolated within its bucket (bounds 1, 2, 5, 10, 15, 20, 30, 50 ms, ...: ` +
      `whether it is under 20 ms is exact); the max is the bound of the highest bucket reached. ` +
      `Its baseline is an ${PROBE} measuring its own delay the same way at the same time: the ` +
      `share of the delay the machine causes (processes waiting for a CPU). The gateway serves ` +
      `no \`/ops/metrics\` (TODO(#5)): its memory is measured, its delay not.`,
    ...restartNote(soak.restarts),
  ];
}

function restartNote(restarts: Record<string, number>): string[] {
  const restarted = Object.entries(restarts).filter(([, count]) => count > 0);

  return restarted.length === 0
    ? []
    : [
        `Restarted during the run (their figures mix two processes): ` +
          `${restarted.map(([s, count]) => `${s} ${count}x`).join(', ')}.`,
      ];
}

function figure(
  what: string,
  unit: string,
  value: number,
  baseline?: Figure['baseline'],
  target?: Figure['target'],
): Figure {
  return { what, unit, value: round(value), rounds: [round(value)], baseline, target };
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const mib = (value: number) => round(value).toFixed(1);
const pct = (value: number) => `${round(value).toFixed(1)} %`;
const ms = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? 'n/a' : round(value).toFixed(1);
