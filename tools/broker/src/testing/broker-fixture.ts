import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

import { BrokerLogger, BrokerOptions } from '../broker.config';
import { RunningBroker, startBroker } from '../server/broker-server';

/** Keeps what the broker logs, for assertions, instead of printing it. */
export class RecordingLogger implements BrokerLogger {
  readonly entries: Array<{ level: string; message: string; fields: unknown }> = [];

  log(message: string, fields?: unknown): void {
    this.entries.push({ level: 'log', message, fields });
  }

  warn(message: string, fields?: unknown): void {
    this.entries.push({ level: 'warn', message, fields });
  }

  error(message: string, fields?: unknown): void {
    this.entries.push({ level: 'error', message, fields });
  }

  debug(message: string, fields?: unknown): void {
    this.entries.push({ level: 'debug', message, fields });
  }

  messages(level: string): string[] {
    return this.entries.filter((e) => e.level === level).map((e) => e.message);
  }
}

export interface BrokerFixture {
  broker: RunningBroker;
  dataDir: string;
  logger: RecordingLogger;
  kafka(clientId?: string): Kafka;
  /** Closes the broker and starts a new one on the same data folder (and port). */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** A broker of the test's own, on a free port and a fresh data folder. */
export async function startBrokerFixture(
  options: Partial<BrokerOptions> = {},
): Promise<BrokerFixture> {
  const dataDir = await mkdtemp(join(tmpdir(), 'relate-broker-spec-'));
  const logger = new RecordingLogger();
  const settings = { port: 0, dataDir, logger, groupInitialRebalanceDelayMs: 50, ...options };
  const fixture: BrokerFixture = {
    broker: await startBroker(settings),
    dataDir,
    logger,
    kafka: (clientId = randomName('client')) =>
      new Kafka({
        clientId,
        brokers: [fixture.broker.address],
        logLevel: logLevel.NOTHING,
        retry: { retries: 8, initialRetryTime: 100 },
      }),
    restart: async () => {
      await fixture.broker.close();
      fixture.broker = await startBroker({ ...settings, port: fixture.broker.port });
    },
    stop: async () => {
      await fixture.broker.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  return fixture;
}

export function randomName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** Polls until the check passes or the time is up; no fixed sleeps. */
export async function waitUntil(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
