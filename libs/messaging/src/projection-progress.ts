import { PoolClient } from 'pg';

import { RelateError } from '@relate/errors';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,40}$/;

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
    ],
    // Advances the recorded version only forwards. Returns no row for an event at or below it
    // (a redelivery); otherwise the version recorded before, which the RETURNING subquery still
    // sees because a statement does not see its own changes.
    record: `INSERT INTO ${s}.projection_stream_versions AS p (projection, stream_id, version)
      VALUES ($1, $2, $3)
      ON CONFLICT (projection, stream_id) DO UPDATE SET version = EXCLUDED.version
      WHERE p.version < EXCLUDED.version
      RETURNING (SELECT o.version FROM ${s}.projection_stream_versions o
        WHERE o.projection = $1 AND o.stream_id = $2) AS previous`,
    version: `SELECT version FROM ${s}.projection_stream_versions
      WHERE projection = $1 AND stream_id = $2`,
  };
}

export async function recordProgress(
  client: PoolClient,
  sql: ReturnType<typeof progressSql>,
  projection: string,
  streamId: string,
  version: number,
): Promise<{ advanced: false } | { advanced: true; previous: number }> {
  const { rows } = await client.query<{ previous: number | null }>(sql.record, [
    projection,
    streamId,
    version,
  ]);

  return rows.length === 0
    ? { advanced: false }
    : { advanced: true, previous: rows[0].previous ?? 0 };
}
