import { Logger } from '@nestjs/common';
import { Pool, PoolClient, PoolConfig } from 'pg';

const logger = new Logger('PostgresPool');

/**
 * A pg pool for one service. The server may drop a client (restart, crash, idle timeout,
 * failover); pg then emits 'error' on it, and an 'error' event without a listener would crash
 * the process. The pool listens on its idle clients and discards a failed one: a warning is all
 * it takes. A client checked out (a transaction, a LISTEN connection) has no listener of the
 * pool's, and the server's farewell can arrive between two of its queries: this pool gives every
 * client one, so the failure shows as a warning and as the rejection of the next query on it,
 * which its user handles and releases the client as broken.
 */
export function createPool(service: string, config: PoolConfig): Pool {
  const pool = new Pool(config);
  const inUse = new WeakSet<PoolClient>();
  pool.on('error', (error: Error & { code?: string }) => {
    logger.warn('idle database client failed', {
      service,
      code: error.code,
      error: error.message,
    });
  });
  pool.on('acquire', (client) => inUse.add(client));
  pool.on('release', (_error, client) => inUse.delete(client));
  pool.on('connect', (client) => {
    client.on('error', (error: Error & { code?: string }) => {
      // An idle client's error is the pool's 'error' above.
      if (!inUse.has(client)) return;
      logger.warn('database client in use failed', {
        service,
        code: error.code,
        error: error.message,
      });
    });
  });

  return pool;
}
