import { IHeaders, KafkaMessage } from 'kafkajs';
import { Pool, PoolClient } from 'pg';

import { quoteSchema } from './projection-progress';

/**
 * Why an event is parked: its projection failed on it (or could not decode it), or an earlier
 * event of its stream is parked for that projection, so applying it would skip over the hole.
 */
export const PARK_REASONS = ['failed', 'undecodable', 'waiting-behind-parked-event'] as const;

export type ParkReason = (typeof PARK_REASONS)[number];

export type ParkedStatus = 'parked' | 'resolved';

/** Which event was parked, where it came from, and why. */
interface ParkedEventFacts {
  projection: string;
  generation: number;
  eventId: string;
  streamId: string | null;
  streamVersion: number | null;
  eventType: string | null;
  topic: string;
  partition: number;
  reason: ParkReason;
  /** For an event waiting behind another: the parked event of its stream it waits for. */
  blockedBy: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
}

/** A parked event as operators list it: identity and error, never the event's payload. */
export interface ParkedEvent extends ParkedEventFacts {
  offset: string;
  parkedAt: string;
  status: ParkedStatus;
  resolvedAt: string | null;
  retries: number;
  lastRetryAt: string | null;
  lastRetryError: string | null;
}

export interface ParkedEventFilter {
  projection?: string;
  status?: ParkedStatus;
  limit: number;
  offset: number;
}

/** What is recorded of a parked event; the message is kept whole, so it can be retried. */
export interface ParkedEventRecord extends ParkedEventFacts {
  message: KafkaMessage;
}

/** A parked row as the retry reads it back: the stored message and its stream position. */
export interface StoredParkedEvent {
  eventId: string;
  generation: number;
  streamId: string | null;
  streamVersion: number | null;
  status: ParkedStatus;
  message: KafkaMessage;
}

/** The table's statements (created with the progress table, in the service's schema). */
export function parkedEventsSql(schema: string) {
  const table = `${quoteSchema(schema)}.parked_events`;

  return {
    table,
    migrate: [
      // One row per projection and event: a redelivery after a crash between parking and the
      // offset commit finds its row and adds none.
      `CREATE TABLE IF NOT EXISTS ${table} (
        projection text NOT NULL,
        event_id text NOT NULL,
        generation integer NOT NULL,
        stream_id text,
        stream_version integer,
        event_type text,
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset text NOT NULL,
        reason text NOT NULL,
        blocked_by text,
        error_code text,
        error_message text,
        attempts integer NOT NULL,
        parked_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        message_key bytea,
        message_value bytea,
        message_headers jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'parked' CHECK (status IN ('parked', 'resolved')),
        resolved_at timestamptz,
        retries integer NOT NULL DEFAULT 0,
        last_retry_at timestamptz,
        last_retry_error text,
        PRIMARY KEY (projection, event_id)
      )`,
      `CREATE INDEX IF NOT EXISTS parked_events_by_stream
        ON ${table} (projection, stream_id, stream_version) WHERE status = 'parked'`,
    ],
    insert: `INSERT INTO ${table} (projection, event_id, generation, stream_id, stream_version,
        event_type, topic, kafka_partition, kafka_offset, reason, blocked_by, error_code,
        error_message, attempts, message_key, message_value, message_headers)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
      ON CONFLICT (projection, event_id) DO NOTHING`,
    // The first parked event of each of the given streams: later ones must wait behind it.
    blockers: `SELECT DISTINCT ON (stream_id) stream_id, event_id FROM ${table}
      WHERE projection = $1 AND generation = $2 AND status = 'parked'
        AND stream_id = ANY($3::text[])
      ORDER BY stream_id, stream_version`,
    one: `SELECT event_id, generation, stream_id, stream_version, status, message_key,
        message_value, message_headers, topic, kafka_offset
      FROM ${table} WHERE projection = $1 AND event_id = $2`,
    // Locks the stream's parked rows, oldest first; the caller holds the stream's progress row.
    ofStream: `SELECT event_id, generation, stream_id, stream_version, status, message_key,
        message_value, message_headers, topic, kafka_offset
      FROM ${table}
      WHERE projection = $1 AND generation = $2 AND stream_id = $3 AND status = 'parked'
      ORDER BY stream_version FOR UPDATE`,
    lockOne: `SELECT status FROM ${table} WHERE projection = $1 AND event_id = $2 FOR UPDATE`,
    resolve: `UPDATE ${table} SET status = 'resolved', resolved_at = clock_timestamp(),
        retries = retries + 1, last_retry_at = clock_timestamp(), last_retry_error = NULL
      WHERE projection = $1 AND event_id = ANY($2::text[]) AND status = 'parked'`,
    retryFailed: `UPDATE ${table} SET retries = retries + 1, last_retry_at = clock_timestamp(),
        last_retry_error = $3
      WHERE projection = $1 AND event_id = $2 AND status = 'parked'`,
    projectionsOf: `SELECT projection, status FROM ${table} WHERE event_id = $1
      ORDER BY projection`,
    list: `SELECT projection, event_id, generation, stream_id, stream_version, event_type, topic,
        kafka_partition, kafka_offset, reason, blocked_by, error_code, error_message, attempts,
        parked_at, status, resolved_at, retries, last_retry_at, last_retry_error,
        count(*) OVER () AS total
      FROM ${table}
      WHERE ($1::text IS NULL OR projection = $1) AND ($2::text IS NULL OR status = $2)
      ORDER BY parked_at, projection, event_id
      LIMIT $3 OFFSET $4`,
    // The total alone, for a page past the last one (it has no row to carry the total).
    count: `SELECT count(*) AS total FROM ${table}
      WHERE ($1::text IS NULL OR projection = $1) AND ($2::text IS NULL OR status = $2)`,
    waiting: `SELECT projection, count(*)::integer AS waiting FROM ${table}
      WHERE status = 'parked' GROUP BY projection`,
  };
}

/** Reads and lists one schema's parked events (the runner writes and retries them). */
export class ParkedEvents {
  private readonly sql: ReturnType<typeof parkedEventsSql>;

  constructor(
    private readonly pool: Pool,
    schema: string,
  ) {
    this.sql = parkedEventsSql(schema);
  }

  async list(filter: ParkedEventFilter): Promise<{ items: ParkedEvent[]; total: number }> {
    const where = [filter.projection ?? null, filter.status ?? null];
    const { rows } = await this.pool.query<ParkedRow & { total: string }>(this.sql.list, [
      ...where,
      filter.limit,
      filter.offset,
    ]);
    if (rows.length === 0 && filter.offset > 0) {
      const counted = await this.pool.query<{ total: string }>(this.sql.count, where);

      return { items: [], total: Number(counted.rows[0].total) };
    }

    return { items: rows.map(toParkedEvent), total: Number(rows[0]?.total ?? 0) };
  }

  /** The projections that parked the event, and whether each still has it parked. */
  async projectionsOf(
    eventId: string,
  ): Promise<Array<{ projection: string; status: ParkedStatus }>> {
    const { rows } = await this.pool.query<{ projection: string; status: ParkedStatus }>(
      this.sql.projectionsOf,
      [eventId],
    );

    return rows;
  }

  /** Events still parked, per projection (projections with none are absent). */
  async waiting(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ projection: string; waiting: number }>(
      this.sql.waiting,
    );

    return new Map(rows.map((row) => [row.projection, row.waiting]));
  }
}

export async function recordParkedEvent(
  client: PoolClient | Pool,
  sql: ReturnType<typeof parkedEventsSql>,
  record: ParkedEventRecord,
): Promise<boolean> {
  const { message } = record;
  const { rowCount } = await client.query(sql.insert, [
    record.projection,
    storableText(record.eventId),
    record.generation,
    record.streamId,
    record.streamVersion,
    storableText(record.eventType),
    record.topic,
    record.partition,
    message.offset,
    record.reason,
    record.blockedBy,
    storableText(record.errorCode),
    storableText(record.errorMessage),
    record.attempts,
    message.key,
    message.value,
    JSON.stringify(headersAsText(message.headers)),
  ]);

  return rowCount === 1;
}

export interface StoredParkedRow {
  event_id: string;
  generation: number;
  stream_id: string | null;
  stream_version: number | null;
  status: ParkedStatus;
  message_key: Buffer | null;
  message_value: Buffer | null;
  message_headers: Record<string, string | string[]>;
  topic: string;
  kafka_offset: string;
}

export function toStoredParkedEvent(row: StoredParkedRow): StoredParkedEvent {
  const message = {
    key: row.message_key,
    value: row.message_value,
    headers: row.message_headers,
    offset: row.kafka_offset,
    timestamp: '0',
    attributes: 0,
  } as KafkaMessage;

  return {
    eventId: row.event_id,
    generation: row.generation,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    status: row.status,
    message,
  };
}

/** Relate's headers are text (ids, trace context); kept as text so operators can read them. */
function headersAsText(headers: IHeaders | undefined): Record<string, string | string[]> {
  const text: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) {
      continue;
    }
    text[storableText(name)] = Array.isArray(value)
      ? value.map((part) => storableText(part.toString()))
      : storableText(value.toString());
  }

  return text;
}

/**
 * PostgreSQL's text and jsonb refuse the NUL character, which a foreign producer's binary header
 * or a failing projection's message may hold: it is recorded as U+FFFD, since a parked event that
 * cannot be recorded would hold up its partition for ever.
 */
function storableText<T extends string | null>(value: T): T {
  return (value === null ? value : value.replace(/\u0000/g, '\ufffd')) as T;
}

interface ParkedRow {
  projection: string;
  event_id: string;
  generation: number;
  stream_id: string | null;
  stream_version: number | null;
  event_type: string | null;
  topic: string;
  kafka_partition: number;
  kafka_offset: string;
  reason: ParkReason;
  blocked_by: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  parked_at: Date;
  status: ParkedStatus;
  resolved_at: Date | null;
  retries: number;
  last_retry_at: Date | null;
  last_retry_error: string | null;
}

function toParkedEvent(row: ParkedRow): ParkedEvent {
  return {
    projection: row.projection,
    generation: row.generation,
    eventId: row.event_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    eventType: row.event_type,
    topic: row.topic,
    partition: row.kafka_partition,
    offset: row.kafka_offset,
    reason: row.reason,
    blockedBy: row.blocked_by,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    attempts: row.attempts,
    parkedAt: row.parked_at.toISOString(),
    status: row.status,
    resolvedAt: row.resolved_at?.toISOString() ?? null,
    retries: row.retries,
    lastRetryAt: row.last_retry_at?.toISOString() ?? null,
    lastRetryError: row.last_retry_error,
  };
}
