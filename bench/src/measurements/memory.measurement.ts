import { BenchScale, Measurement } from '../harness/bench-types';
import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';
import { STACK_SERVICES } from '../../../tools/chaos/src/support/chaos-stack';
import {
  DelayBetween,
  delayBetween,
  ProcessScrape,
  scrapeProcess,
} from '../support/event-loop-delay';
import { DelayProbe, startDelayProbe } from '../support/delay-probe';
import { IdleRuntime, startIdleRuntimes } from '../support/idle-runtimes';
import { residentMemory } from '../support/resident-memory';
import { SoakLoad } from '../support/soak-load';

import {
  FULL_SOAK_MINUTES,
  IdleFigures,
  memoryReport,
  Phases,
  PROBE,
  Sample,
  SCRAPED,
  SoakFigures,
  WARM_UP_WINDOWS,
} from '../support/memory-report';

/** The steady load is this share of what the probe sustained: moderate, never saturating. */
const LOAD_SHARE = 0.25;

function phasesOf(scale: BenchScale): Phases {
  if (scale === 'smoke') {
    return { settle: 1_000, idle: 1_000, probe: 1_000, soak: 3_000, window: 500, sample: 100 };
  }
  const minutes = Number(process.env.RELATE_BENCH_SOAK_MINUTES ?? FULL_SOAK_MINUTES);
  if (!(minutes > 0)) throw new Error('RELATE_BENCH_SOAK_MINUTES must be a positive number');
  const soak = minutes * 60_000;

  return { settle: 20_000, idle: 15_000, probe: 10_000, soak, window: soak / 10, sample: 2_000 };
}

export const memoryMeasurement: Measurement = {
  id: 12,
  title: 'Memory and event-loop delay',
  run: async (context) => {
    const phases = phasesOf(context.scale);
    const stack = await context.freshSystem('memory');
    const idleRuntimes = await startIdleRuntimes();
    const probe = await startDelayProbe();
    try {
      const targets = scrapeTargets(stack, probe);
      // The capacity first, then the idle phase: the soak then starts from idle services.
      const load = new SoakLoad(stack);
      await load.prepare();
      const capacity = await load.capacity(phases.probe);
      await sleep(phases.settle);
      const idle = await measureIdle(stack, targets, idleRuntimes.runtimes, phases);
      await idleRuntimes.stop();
      const log = context.logger.log.bind(context.logger);
      const soak = await measureSoak(stack, targets, { load, capacity }, phases, log);

      return memoryReport(idleRuntimes.runtimes, idle, soak, phases);
    } finally {
      await Promise.all([idleRuntimes.stop(), probe.stop()]);
    }
  },
};

/** Where each process serves its figures: the services, and the probe. */
type Targets = Record<string, string>;

function scrapeTargets(stack: ChaosStack, probe: DelayProbe): Targets {
  return { ...Object.fromEntries(SCRAPED.map((s) => [s, stack.url(s)])), [PROBE]: probe.url };
}

async function measureIdle(
  stack: ChaosStack,
  targets: Targets,
  runtimes: IdleRuntime[],
  phases: Phases,
): Promise<IdleFigures> {
  const before = await scrapeAll(targets);
  const samples = await sampleFor(stack, targets, runtimes, phases.idle, phases.sample);

  return { samples, delay: delaysBetween(before, await scrapeAll(targets)) };
}

async function measureSoak(
  stack: ChaosStack,
  targets: Targets,
  { load, capacity }: { load: SoakLoad; capacity: number },
  phases: Phases,
  log: (message: string, fields: object) => void,
): Promise<SoakFigures> {
  const rate = capacity * LOAD_SHARE;
  log('memory soak started', { capacity, rate, minutes: phases.soak / 60_000 });
  load.start(rate);
  try {
    const started = Date.now();
    const warmUpMs = WARM_UP_WINDOWS * phases.window;
    const warmUp = await sampleFor(stack, targets, [], warmUpMs, phases.sample);
    const afterWarmUp = await scrapeAll(targets);
    const left = phases.soak - (Date.now() - started);
    const rest = await sampleFor(stack, targets, [], left, phases.sample);
    const atEnd = await scrapeAll(targets);
    const samples = [...warmUp, ...rest.map((s) => ({ ...s, at: s.at + warmUpMs }))];
    const restarts = Object.fromEntries(STACK_SERVICES.map((s) => [s, stack.restarts(s)]));

    return {
      window: phases.window,
      capacity,
      rate,
      counts: await load.stop(),
      samples,
      delay: delaysBetween(afterWarmUp, atEnd),
      restarts,
    };
  } finally {
    await load.stop();
  }
}

/** Samples every `everyMs` for `forMs`: each service's and each idle runtime's memory. */
async function sampleFor(
  stack: ChaosStack,
  targets: Targets,
  runtimes: IdleRuntime[],
  forMs: number,
  everyMs: number,
): Promise<Sample[]> {
  const samples: Sample[] = [];
  const started = Date.now();
  for (let next = started; Date.now() - started < forMs; next += everyMs) {
    await sleep(next - Date.now());
    const scrapes = await scrapeAll(targets);
    const pids = [
      ...STACK_SERVICES.map((service) => [service, stack.pid(service)] as const),
      ...runtimes.map(({ name, pid }) => [name, pid] as const),
    ];
    const memory = pids.map(([name, pid]) => [name, residentMemory(pid)] as const);
    samples.push({
      at: Date.now() - started,
      rss: Object.fromEntries(memory.map(([name, of]) => [name, of?.total])),
      anon: Object.fromEntries(memory.map(([name, of]) => [name, of?.anonymous])),
      heap: Object.fromEntries(SCRAPED.map((s) => [s, scrapes[s]?.heapUsedBytes])),
    });
  }

  return samples;
}

/** Each process's figures; one that does not answer is left out of this scrape. */
async function scrapeAll(targets: Targets): Promise<Record<string, ProcessScrape | undefined>> {
  const names = Object.keys(targets);
  const scrapes = await Promise.all(
    names.map((name) => scrapeProcess(targets[name]).catch(() => undefined)),
  );

  return Object.fromEntries(names.map((name, index) => [name, scrapes[index]]));
}

function delaysBetween(
  before: Record<string, ProcessScrape | undefined>,
  after: Record<string, ProcessScrape | undefined>,
): Record<string, DelayBetween> {
  const delays: Record<string, DelayBetween> = {};
  for (const service of [...SCRAPED, PROBE]) {
    const [from, to] = [before[service], after[service]];
    if (from !== undefined && to !== undefined) delays[service] = delayBetween(from, to);
  }

  return delays;
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, milliseconds)));
}
