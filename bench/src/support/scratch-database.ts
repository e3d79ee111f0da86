import { Pool } from 'pg';

import { createTestDatabase } from '@relate/testing';

/** A database of a measurement's own on the run's PostgreSQL, and pools on it. */
export interface ScratchDatabase {
  url: string;
  /** A new pool of at most `max` connections, opened at once and ended with the database. */
  pool(max: number): Promise<Pool>;
}

/**
 * Runs `work` on a fresh database of its own and drops the database afterwards (its pools
 * first), so that measurements never see each other's rows.
 */
export async function withScratchDatabase<T>(
  label: string,
  work: (database: ScratchDatabase) => Promise<T>,
): Promise<T> {
  const database = await createTestDatabase(label);
  const pools: Pool[] = [];
  const scratch: ScratchDatabase = {
    url: database.url,
    pool: async (max) => {
      const pool = new Pool({ connectionString: database.url, max });
      pool.on('error', () => undefined);
      pools.push(pool);
      await openConnections(pool, max);

      return pool;
    },
  };
  try {
    return await work(scratch);
  } finally {
    await Promise.all(pools.map((pool) => pool.end().catch(() => undefined)));
    await database.drop();
  }
}

/** Connects every connection up front, so that no contender pays for connecting in a round. */
async function openConnections(pool: Pool, count: number): Promise<void> {
  const clients = await Promise.all(Array.from({ length: count }, () => pool.connect()));
  clients.forEach((client) => client.release());
}
