import { Pool } from 'pg';

import { createTestDatabase } from '@relate/testing';

/**
 * A database of the measurement's own on the run's PostgreSQL and a pool on it, handed to
 * `work`; the pool is closed and the database dropped afterwards, whatever happened.
 */
export async function withBenchDatabase<T>(
  label: string,
  work: (pool: Pool) => Promise<T>,
  poolSize = 8,
): Promise<T> {
  const database = await createTestDatabase(label);
  const pool = new Pool({ connectionString: database.url, max: poolSize });
  pool.on('error', () => undefined);
  try {
    return await work(pool);
  } finally {
    await pool.end().catch(() => undefined);
    await database.drop();
  }
}
