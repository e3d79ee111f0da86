import { Pool, PoolClient } from 'pg';

import { RelateError } from '@relate/errors';

import { EventStoreErrorCodes } from './event-store.errors';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,40}$/;

/**
 * The advisory lock every Relate migration takes, the store's and @relate/messaging's projection
 * runners' alike (they share schemas), so that schema changes in a database take turns.
 */
export const MIGRATION_LOCK = 'relate.migrations';

/** Validates a schema name and returns it quoted, safe to splice into SQL. */
export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new RelateError(
      EventStoreErrorCodes.invalidSchema,
      'validation',
      `Schema name must match ${SCHEMA_NAME}`,
      { details: { schema } },
    );
  }

  return `"${schema}"`;
}

/** The LISTEN/NOTIFY channel on which appends to a schema's store announce themselves. */
export function eventsChannel(schema: string): string {
  quoteSchema(schema);

  return `relate_events_${schema}`;
}

/**
 * The store's tables. `events` is also the outbox: an append and its outbox entry are the same
 * row, so they commit together. `transaction_id` lets the relay read only finished transactions
 * (see OutboxRelay); `streams` carries the version that optimistic concurrency checks.
 */
function eventStoreDdl(s: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.streams (
      stream_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      stream_type text NOT NULL,
      version integer NOT NULL CHECK (version >= 0)
    )`,
    `CREATE TABLE IF NOT EXISTS ${s}.events (
      position bigserial PRIMARY KEY,
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      event_id uuid NOT NULL UNIQUE,
      stream_id text NOT NULL,
      stream_type text NOT NULL,
      stream_version integer NOT NULL CHECK (stream_version >= 1),
      tenant_id text NOT NULL,
      type text NOT NULL,
      schema_version integer NOT NULL,
      occurred_at timestamptz NOT NULL,
      recorded_at timestamptz NOT NULL,
      actor jsonb NOT NULL,
      correlation_id text NOT NULL,
      causation_id text,
      traceparent text,
      data jsonb NOT NULL,
      UNIQUE (stream_id, stream_version)
    )`,
    `CREATE INDEX IF NOT EXISTS events_transaction_id_position_idx
      ON ${s}.events (transaction_id, position)`,
    `CREATE TABLE IF NOT EXISTS ${s}.relay_checkpoints (
      name text PRIMARY KEY,
      transaction_id xid8 NOT NULL,
      position bigint NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  ];
}

/** Creates the store's schema and tables if missing. Safe to run concurrently and repeatedly. */
export async function migrateEventStore(pool: Pool, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  await inMigrationTransaction(pool, MIGRATION_LOCK, async (client) => {
    for (const statement of eventStoreDdl(s)) {
      await client.query(statement);
    }
  });
}

/**
 * Runs DDL in a transaction under an advisory lock: concurrent `CREATE ... IF NOT EXISTS` of the
 * same object can still fail on the catalogue's unique indexes, so migrations take turns.
 */
export async function inMigrationTransaction(
  pool: Pool,
  lockName: string,
  work: (client: PoolClient) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [lockName]);
    await work(client);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
