import { Logger } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';

import { Client } from 'pg';

import { standaloneServers, StandaloneServers } from '@relate/testing';

import { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';
import { BenchContext, BenchScale, Measurement } from './bench-types';
import { BenchReport, MeasurementOutcome, RunFacts } from './report';

export interface BenchOptions {
  scale: BenchScale;
  measurements: readonly Measurement[];
  /** Rounds of interleaved pairs; default 1 for smoke, 5 for full. */
  rounds?: number;
  logger?: Logger;
}

/**
 * Runs the measurements one after another on one PostgreSQL and broker (and, for those that
 * ask, one running system), never two at once: they would measure each other. A measurement
 * that throws gets a row saying why; the others still run.
 */
export async function runBench(options: BenchOptions): Promise<BenchReport> {
  const logger = options.logger ?? new Logger('Bench');
  const started = Date.now();
  const servers = await standaloneServers('relate-bench', { durable: options.scale === 'full' });
  const systems = new SystemPool();
  const context: BenchContext = {
    scale: options.scale,
    rounds: options.rounds ?? (options.scale === 'smoke' ? 1 : 5),
    servers,
    system: () => systems.shared(),
    freshSystem: (label) => systems.fresh(label),
    logger,
  };
  const measurements: MeasurementOutcome[] = [];
  try {
    for (const measurement of options.measurements) {
      measurements.push(await runOne(measurement, context, logger));
      await systems.stopFresh();
    }

    return { facts: await runFacts(options.scale, servers, started), measurements };
  } finally {
    await systems.stopAll();
    await servers.stop();
  }
}

async function runOne(
  measurement: Measurement,
  context: BenchContext,
  logger: Logger,
): Promise<MeasurementOutcome> {
  const { id, title } = measurement;
  const started = Date.now();
  logger.log('measurement started', { measurement: id, title, scale: context.scale });
  try {
    const result = await measurement.run(context);
    const seconds = (Date.now() - started) / 1000;
    logger.log('measurement finished', { measurement: id, seconds });

    return { id, title, seconds, ...result };
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    logger.error('measurement failed', { measurement: id, error: message });

    return { id, title, seconds: (Date.now() - started) / 1000, error: message };
  }
}

/** The shared system, started on first use, and the fresh ones of the current measurement. */
class SystemPool {
  private sharedStack?: Promise<ChaosStack>;
  private freshStacks: ChaosStack[] = [];

  shared(): Promise<ChaosStack> {
    this.sharedStack ??= ChaosStack.start({ label: 'relate-bench-system' });

    return this.sharedStack;
  }

  async fresh(label: string): Promise<ChaosStack> {
    const stack = await ChaosStack.start({ label: `relate-bench-${label}` });
    this.freshStacks.push(stack);

    return stack;
  }

  async stopFresh(): Promise<void> {
    await Promise.all(this.freshStacks.splice(0).map((stack) => stack.stop()));
  }

  async stopAll(): Promise<void> {
    await this.stopFresh();
    const shared = await this.sharedStack?.catch(() => undefined);
    await shared?.stop();
  }
}

async function runFacts(
  scale: BenchScale,
  servers: StandaloneServers,
  started: number,
): Promise<RunFacts> {
  const client = new Client({ connectionString: servers.databaseUrl });
  client.on('error', () => undefined);
  await client.connect();
  try {
    const { rows } = await client.query<{ server_version: string }>('SHOW server_version');

    return {
      startedAt: new Date(started).toISOString().slice(0, 16).replace('T', ' '),
      commit: gitCommit(),
      scale,
      node: process.version,
      cpus: `${cpus().length} x ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`,
      memoryGiB: totalmem() / 2 ** 30,
      postgres: rows[0].server_version.split(' ')[0],
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await client.end();
  }
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' });
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim();

    return `${commit.trim()}${dirty ? ' (uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}
