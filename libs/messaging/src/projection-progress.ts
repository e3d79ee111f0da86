import { PoolClient } from 'pg';

import { RelateError } from '@relate/errors';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,40}$/;

/**
 * The transaction-level advisory lock under which runners create their tables. The same name as
 * @relate/event-store's migrations take, so that every Relate schema change in a database takes
 * its turn: `CREATE ... IF NOT EXISTS` of one object is not safe against a concurrent one.
 */
export const MIGRATION_LOCK = 'relate.migrations';

export function quoteSchema(schema: string): string {
  if (!SCHEMA_NAME.test(schema)) {
    throw new RelateError('MESSAGING.INVALID_SCHEMA', 'validation', 'Invalid schema name', {
      details: { schema },
    });
  }

  return `"${schema}"`;
}

/**
 * The last stream version each projection applied, per stream. Recorded in the transaction that
 * applies the event, so a redelivered event is recognised and changes nothing.
 */
export function progressSql(schema: string) {
  const s = quoteSchema(schema);

  return {
    migrate: [
      `CREATE SCHEMA IF NOT EXISTS ${s}`,
      `CREATE TABLE IF NOT EXISTS ${s}.projection_stream_versions (
        projection text NOT NULL,
        stream_id text NOT NULL,
        version integer NOT NULL,
        PRIMARY KEY (projection, stream_id)
      )`,
      // Which consumer group generation feeds each projection, and whether its read model is
      // complete. No row: generation 0, live. A rebuild bumps the generation in the transaction
      // that drops the tables, so a runner of an older generation can never write to them.
      `CREATE TABLE IF NOT EXISTS ${s}.projection_generations (
        projection text PRIMARY KEY,
        generation integer NOT NULL,
        status text NOT NULL CHECK (status IN ('live', 'rebuilding')),
        rebuild_id text,
        started_at timestamptz,
        finished_at timestamptz,
        target_offsets jsonb NOT NULL DEFAULT '[]'
      )`,
    ],
    generation: `SELECT generation FROM ${s}.projection_generations WHERE projection = $1
      FOR SHARE`,
    // A row per stream first, so that the lock below also covers streams seen for the first
    // time: a concurrent runner (during a rebalance) then waits here instead of applying twice.
    ensure: `INSERT INTO ${s}.projection_stream_versions (projection, stream_id, version)
      SELECT $1, stream_id, 0 FROM unnest($2::text[]) AS u(stream_id) ORDER BY stream_id
      ON CONFLICT (projection, stream_id) DO NOTHING`,
    lock: `SELECT stream_id, version FROM ${s}.projection_stream_versions
      WHERE projection = $1 AND stream_id = ANY($2::text[])
      ORDER BY stream_id FOR UPDATE`,
    advance: `UPDATE ${s}.projection_stream_versions p SET version = u.version
      FROM unnest($2::text[], $3::integer[]) AS u(stream_id, version)
      WHERE p.projection = $1 AND p.stream_id = u.stream_id AND p.version < u.version`,
    version: `SELECT version FROM ${s}.projection_stream_versions
      WHERE projection = $1 AND stream_id = $2`,
  };
}

/**
 * The versions a transaction has applied so far, for the streams of one chunk of events. Locks
 * their rows on creation, so that applying and recording happen under one lock and commit
 * together.
 */
export class ProgressInTransaction {
  private readonly advanced = new Map<string, number>();

  private constructor(
    private readonly client: PoolClient,
    private readonly sql: ReturnType<typeof progressSql>,
    private readonly projection: string,
    private readonly recorded: Map<string, number>,
  ) {}

  static async lock(
    client: PoolClient,
    sql: ReturnType<typeof progressSql>,
    projection: string,
    streamIds: string[],
  ): Promise<ProgressInTransaction> {
    const unique = [...new Set(streamIds)].sort();
    await client.query(sql.ensure, [projection, unique]);
    const { rows } = await client.query<{ stream_id: string; version: number }>(sql.lock, [
      projection,
      unique,
    ]);
    const recorded = new Map(rows.map((row) => [row.stream_id, row.version]));

    return new ProgressInTransaction(client, sql, projection, recorded);
  }

  /** The streams whose rows this transaction holds. */
  get streamIds(): string[] {
    return [...this.recorded.keys()];
  }

  /** The version applied last for the stream, in this transaction or before it. */
  versionOf(streamId: string): number {
    return this.advanced.get(streamId) ?? this.recorded.get(streamId) ?? 0;
  }

  markApplied(streamId: string, version: number): void {
    this.advanced.set(streamId, version);
  }

  /** Writes every advanced version in one statement; call just before COMMIT. */
  async save(): Promise<void> {
    if (this.advanced.size === 0) {
      return;
    }
    await this.client.query(this.sql.advance, [
      this.projection,
      [...this.advanced.keys()],
      [...this.advanced.values()],
    ]);
  }
}
