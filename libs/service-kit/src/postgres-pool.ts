import { Logger } from '@nestjs/common';
import { Pool, PoolConfig } from 'pg';

const logger = new Logger('PostgresPool');

/**
 * A pg pool for one service. The server may drop an idle client (restart, idle timeout,
 * failover); pg then emits 'error' on the pool, and an 'error' event without a listener would
 * crash the process. The pool has already discarded that client and connects a new one for the
 * next query, so a warning is all it takes.
 */
export function createPool(service: string, config: PoolConfig): Pool {
  const pool = new Pool(config);
  pool.on('error', (error: Error & { code?: string }) => {
    logger.warn('idle database client failed', {
      service,
      code: error.code,
      error: error.message,
    });
  });

  return pool;
}
