import { cpus } from 'node:os';

import { ServiceHeaders } from '@relate/contracts';
import { PostgresEventStore } from '@relate/event-store';

import { settle } from '../../../tools/chaos/src/support/read-model-check';
import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';
import { BenchContext, Figure, Measurement, MeasurementResult } from '../harness/bench-types';
import { interleave } from '../harness/rounds';
import { median } from '../harness/stats';
import { appendCompaniesFor } from '../support/company-appends';
import { REGISTER_COMPANY_PATH, newCompany } from '../support/company-commands';
import { HttpLoadResult, runHttpLoad } from '../support/http-load';
import { startNoopServers } from '../support/noop-servers';
import { cpuSpent, readSystemCpu } from '../support/process-cpu';
import { withScratchDatabase } from '../support/scratch-database';

/** The concurrency for single appends (measurement 1), here for commands too. */
export const COMMAND_CONCURRENCY = 16;

/** A contender's round: its rate, and its answers' latency or its CPU per append. */
interface RoundSample {
  rate: number;
  p50Ms?: number;
  p99Ms?: number;
  cpuMs?: number;
}

const SECONDS = {
  smoke: { command: 1, framework: 0.5, warmUp: 0.3 },
  full: { command: 5, framework: 3, warmUp: 1 },
};

/** The whole system's read models catch up on what the load wrote before the next measurement. */
const SETTLE_TIMEOUT_MS = 180_000;

let lastCommandRate: { stack: ChaosStack; rate: number } | undefined;

/**
 * The median command rate measurement 5 saw on this system, if it ran on it: the maximum
 * sustained command rate that measurement 8 drives at half of.
 */
export function measuredCommandRate(stack: ChaosStack): number | undefined {
  return lastCommandRate?.stack === stack ? lastCommandRate.rate : undefined;
}

/** `POST /api/v1/companies` through the gateway, each with a company of its own. */
export function gatewayCommands(stack: ChaosStack, durationSeconds: number) {
  return runHttpLoad({
    url: `${stack.url('gateway')}${REGISTER_COMPANY_PATH}`,
    connections: COMMAND_CONCURRENCY,
    durationSeconds,
    method: 'POST',
    headers: { 'x-api-key': stack.apiKey, 'content-type': 'application/json' },
    body: () => JSON.stringify(newCompany()),
  });
}

/** The same command sent to the contacts service itself, with the headers the gateway adds. */
function directCommands(stack: ChaosStack, durationSeconds: number) {
  return runHttpLoad({
    url: `${stack.url('contacts')}/companies`,
    connections: COMMAND_CONCURRENCY,
    durationSeconds,
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [ServiceHeaders.tenantId]: stack.tenantId,
      [ServiceHeaders.actorId]: 'bench',
    },
    body: () => JSON.stringify(newCompany()),
  });
}

async function measureCommandPath(context: BenchContext, stack: ChaosStack) {
  const seconds = SECONDS[context.scale];

  return withScratchDatabase(stack.databaseUrl, 'http_command', async (database) => {
    const store = new PostgresEventStore(database.pool(COMMAND_CONCURRENCY), {
      schema: 'contacts',
    });
    await store.migrate();
    // The CPU the appends cost: PostgreSQL's (the system's services idle meanwhile) and ours.
    const library = async (durationSeconds: number) => {
      const before = readSystemCpu(stack);
      const rate = await appendCompaniesFor(store, COMMAND_CONCURRENCY, durationSeconds * 1000);
      const spent = cpuSpent(before, readSystemCpu(stack));

      return { rate, cpuMs: ((spent.postgres + spent.bench) * 1000) / (rate * durationSeconds) };
    };
    // JIT, connection pools and prepared statements warm on every side before the rounds.
    await gatewayCommands(stack, seconds.warmUp);
    await directCommands(stack, seconds.warmUp);
    await library(seconds.warmUp);

    return await interleave<'gateway' | 'direct' | 'library', RoundSample>(context.rounds, {
      gateway: () => gatewayCommands(stack, seconds.command),
      direct: () => directCommands(stack, seconds.command),
      library: () => library(seconds.command),
    });
  });
}

async function measureFramework(context: BenchContext) {
  const seconds = SECONDS[context.scale];
  const servers = await startNoopServers();
  try {
    const load = (url: string, durationSeconds: number) =>
      runHttpLoad({ url, connections: COMMAND_CONCURRENCY, durationSeconds });
    await load(servers.nestUrl, seconds.warmUp);
    await load(servers.bareUrl, seconds.warmUp);

    return await interleave(context.rounds, {
      nest: () => load(servers.nestUrl, seconds.framework),
      bare: () => load(servers.bareUrl, seconds.framework),
    });
  } finally {
    await servers.stop();
  }
}

/**
 * CPU milliseconds each process of the system spends on one command through the gateway, from
 * the request to the last read model that applies its event: one more run, then a settle, less
 * what the processes spend as long when idle.
 */
async function cpuPerCommand(stack: ChaosStack, seconds: number) {
  // What the processes spend idle (timers, polls, heartbeats) is no command's.
  const idleFrom = readSystemCpu(stack);
  const idleStarted = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const idle = cpuSpent(idleFrom, readSystemCpu(stack));
  const idleMs = performance.now() - idleStarted;
  const before = readSystemCpu(stack);
  const started = performance.now();
  const { answered2xx } = await gatewayCommands(stack, seconds);
  // What the load wrote is relayed and projected now, not during the next measurement.
  await settle(stack, SETTLE_TIMEOUT_MS);
  const busy = cpuSpent(before, readSystemCpu(stack));
  const share = (performance.now() - started) / idleMs;
  const spent = Object.fromEntries(
    Object.entries(busy).map(([name, value]) => [name, value - idle[name] * share]),
  );
  const total = Object.values(spent).reduce((sum, value) => sum + value, 0);

  return Object.fromEntries(
    [...Object.entries(spent), ['all', total] as const].map(([name, value]) => [
      name,
      (value * 1000) / answered2xx,
    ]),
  );
}

const rates = (samples: Array<{ rate: number }>) => samples.map((sample) => sample.rate);

function rateFigure(
  what: string,
  relate: Array<{ rate: number }>,
  baseline: { name: string; samples: Array<{ rate: number }> },
  target?: Figure['target'],
): Figure {
  return {
    what,
    unit: 'req/s',
    value: median(rates(relate)),
    rounds: rates(relate),
    baseline: {
      name: baseline.name,
      value: median(rates(baseline.samples)),
      rounds: rates(baseline.samples),
    },
    target,
  };
}

function latencyRow(name: string, samples: Array<Partial<HttpLoadResult> & { rate: number }>) {
  return [
    name,
    median(rates(samples)),
    median(samples.map((sample) => sample.p50Ms ?? NaN)),
    median(samples.map((sample) => sample.p99Ms ?? NaN)),
  ];
}

/** What the gateway adds per command: its own CPU, and at saturation the difference of 1/rate. */
function gatewayNote(gatewayRate: number, directRate: number, gatewayCpuMs: number): string {
  const addedUs = (1 / gatewayRate - 1 / directRate) * 1e6;
  const rates =
    `${Math.round(gatewayRate)} commands/s through it against ${Math.round(directRate)}/s ` +
    'sent to the contacts service directly with the headers the gateway would add';

  return (
    `The gateway (API key, validation, forwarding over HTTP with Node's fetch) spends ` +
    `${gatewayCpuMs.toFixed(2)} ms of CPU per command; ` +
    (addedUs > 0
      ? `at saturation it costs ${Math.round(addedUs)} µs more per command (1/rate): ${rates}.`
      : `no cost showed in the rates of this run: ${rates}.`)
  );
}

export const httpCommandMeasurement: Measurement = {
  id: 5,
  title: 'HTTP command path',
  run: async (context): Promise<MeasurementResult> => {
    const stack = await context.system();
    const command = await measureCommandPath(context, stack);
    // What the rounds wrote is relayed and projected before the CPU is counted.
    await settle(stack, SETTLE_TIMEOUT_MS);
    const cpu = await cpuPerCommand(stack, SECONDS[context.scale].command);
    const framework = await measureFramework(context);
    const gatewayRate = median(rates(command.gateway));
    const directRate = median(rates(command.direct));
    const libraryCpuMs = median(command.library.map((sample) => sample.cpuMs ?? NaN));
    lastCommandRate = { stack, rate: gatewayRate };

    return {
      figures: [
        rateFigure(
          `POST /companies through the gateway, ${COMMAND_CONCURRENCY} in flight`,
          command.gateway,
          { name: 'event store library, single-event appends', samples: command.library },
          { on: 'ratio', atLeast: 0.5 },
        ),
        rateFigure(
          `Nest route that does nothing, ${COMMAND_CONCURRENCY} in flight`,
          framework.nest,
          {
            name: 'bare node:http server',
            samples: framework.bare,
          },
        ),
      ],
      tables: [
        {
          title: `Answers at ${COMMAND_CONCURRENCY} in flight (medians of the rounds)`,
          header: ['route', 'req/s', 'p50 ms', 'p99 ms'],
          rows: [
            latencyRow('gateway → contacts → event store', command.gateway),
            latencyRow('contacts service directly → event store', command.direct),
            latencyRow('Nest no-op route', framework.nest),
            latencyRow('bare node:http', framework.bare),
          ],
        },
        {
          title: 'CPU per command, by process (ms), until every read model has applied it',
          header: Object.keys(cpu),
          rows: [Object.values(cpu)],
        },
      ],
      notes: [
        'Each command registers a new company (a unique body, one `CompanyRegistered` event on a ' +
          'new stream) on the running system; the baseline appends the same event through the ' +
          "event store library to a database of its own on the system's PostgreSQL server, with " +
          'as many appends in flight. The load generator (autocannon) runs in the bench process ' +
          'on the same machine, so client, gateway, service and PostgreSQL share its CPUs.',
        gatewayNote(gatewayRate, directRate, cpu.gateway),
        `A command costs ${cpu.all.toFixed(1)} ms of CPU across the system (table above: ` +
          'the gateway, contacts, PostgreSQL, the broker and the four services whose read ' +
          'models or reactors follow the contacts topic), a library append ' +
          `${libraryCpuMs.toFixed(1)} ms (PostgreSQL ` +
          `and the appending process). On ${cpus().length} CPUs shared by all of them, that ` +
          'ratio of CPU bounds the ratio of the rates, whatever the latency of each hop.',
        'The framework figure compares a Nest (platform-express) app whose one route does ' +
          'nothing with a bare node:http server, both in one process of their own; the issue ' +
          'sets no target for it.',
      ],
    };
  },
};
