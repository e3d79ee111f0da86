import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Relative import on purpose: jest loads global setup without the workspace's path aliases.
import { startEmbeddedPostgres } from '../../dev-stack/src/embedded-postgres';
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
}
