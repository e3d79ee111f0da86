import { randomBytes } from 'node:crypto';

import { Client, Pool } from 'pg';

import { dropDatabase } from '@relate/testing';

/** A database of a measurement's own, and pools on it that end with it. */
export interface ScratchDatabase {
  url: string;
  /** A new pool of at most `max` connections, connecting as they are needed. */
  pool(max: number): Pool;
  /** A new pool with all `max` connections open, so that no contender pays for connecting. */
  openPool(max: number): Promise<Pool>;
}

/**
 * Runs `work` on a fresh database of its own on the PostgreSQL server of `serverUrl` (the run's
 * servers', `context.servers.databaseUrl`, or a running system's, so that a baseline runs on the
 * very server the system uses) and drops the database afterwards, its pools first, whatever
 * happened: measurements never see each other's rows.
 */
export async function withScratchDatabase<T>(
  serverUrl: string,
  label: string,
  work: (database: ScratchDatabase) => Promise<T>,
): Promise<T> {
  const safeLabel = label.replace(/[^a-z0-9]/gi, '_').toLowerCase();
  const name = `bench_${safeLabel}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const pools: Pool[] = [];
  const scratch: ScratchDatabase = {
    url: url.toString(),
    pool: (max) => {
      const pool = new Pool({ connectionString: url.toString(), max });
      pool.on('error', () => undefined);
      pools.push(pool);

      return pool;
    },
    openPool: async (max) => {
      const pool = scratch.pool(max);
      await openConnections(pool, max);

      return pool;
    },
  };
  try {
    return await work(scratch);
  } finally {
    await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
    await dropDatabase(serverUrl, name);
  }
}

async function openConnections(pool: Pool, count: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  clients.forEach((client) => client.release());
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
