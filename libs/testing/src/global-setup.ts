import { Logger } from '@nestjs/common';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Relative import on purpose: jest loads global setup without the workspace's path aliases.
import { startEmbeddedPostgres } from '../../dev-stack/src/embedded-postgres';
import { startBroker } from '../../../tools/broker/src/index';
import { TEST_DATABASE_URL_ENV, testStack } from './test-stack';

/**
 * Starts the servers every integration test talks to over TCP, once per jest run: PostgreSQL
 * (the one in DATABASE_URL, or a throw-away embedded cluster) and the development broker.
 * Workers inherit the addresses through the environment.
 */
export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) {
    process.env[TEST_DATABASE_URL_ENV] = process.env.DATABASE_URL;
  } else {
    const parent = mkdtempSync(join(tmpdir(), 'relate-test-pg-'));
    // PostgreSQL runs as its own user when we are root; it must be able to reach its folder.
    chmodSync(parent, 0o755);
    const postgres = await startEmbeddedPostgres({
      dataDir: join(parent, 'cluster'),
      port: 0,
      persistent: false,
      durable: false,
    });
    testStack.stops.push(() => postgres.stop());
    process.env[TEST_DATABASE_URL_ENV] = postgres.url;
  }

  await startTestBroker();
}

/** The development broker, in this process, on a free port and a throw-away data folder. */
async function startTestBroker(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'relate-test-broker-'));
  const logger = new Logger('Broker');
  const broker = await startBroker({
    port: 0,
    dataDir,
    // Throw-away logs need no fsync, like the test PostgreSQL.
    fsync: 'never',
    // A whole run's connection chatter would drown jest's output; trouble still shows.
    logger: {
      log: () => undefined,
      warn: (message, ...fields) => logger.warn(message, ...fields),
      error: (message, ...fields) => logger.error(message, ...fields),
    },
  });
  testStack.stops.push(async () => {
    await broker.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  process.env.RELATE_TEST_KAFKA_BROKERS = broker.address;
}
