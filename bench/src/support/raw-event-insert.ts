import { Pool } from 'pg';

import { CommandContext, NewEvent } from '@relate/contracts';
import { migrateEventStore, quoteSchema, uuidV7Ids } from '@relate/event-store';

const COLUMNS = [
  'event_id',
  'stream_id',
  'stream_type',
  'stream_version',
  'tenant_id',
  'type',
  'schema_version',
  'occurred_at',
  'recorded_at',
  'actor',
  'correlation_id',
  'causation_id',
  'traceparent',
  'data',
];

/** One event as the raw baseline inserts it: what the store would write, value for value. */
export interface RawEvent {
  streamId: string;
  streamType: string;
  version: number;
  event: NewEvent;
}

/**
 * The baseline of the append measurements: the store's own events table, created by the store's
 * migration in a schema of its own (so it has the same columns, defaults and indexes as the
 * schema evolves), written with plain node-pg inserts and nothing else: no stream version, no
 * notification.
 */
export class RawEventTable {
  private readonly table: string;

  private constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `${quoteSchema(schema)}.events`;
  }

  static async create(pool: Pool, schema: string): Promise<RawEventTable> {
    await migrateEventStore(pool, schema);

    return new RawEventTable(pool, schema);
  }

  /** A single-row insert, as a prepared statement like the store's. */
  async insertOne(row: RawEvent, context: CommandContext): Promise<void> {
    await this.pool.query({
      name: `bench_raw_insert_one_${this.schema}`,
      text: `INSERT INTO ${this.table} (${COLUMNS.join(', ')}) VALUES (${placeholders(0)})`,
      values: rowValues(row, context, new Date().toISOString()),
    });
  }

  /** One multi-row `INSERT ... VALUES (...), (...)` of every row. */
  async insertMany(rows: readonly RawEvent[], context: CommandContext): Promise<void> {
    const now = new Date().toISOString();
    const tuples = rows.map((_, index) => `(${placeholders(index * COLUMNS.length)})`);
    await this.pool.query({
      name: `bench_raw_insert_${rows.length}_${this.schema}`,
      text: `INSERT INTO ${this.table} (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`,
      values: rows.flatMap((row) => rowValues(row, context, now)),
    });
  }

  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${this.table}`,
    );

    return Number(rows[0].count);
  }
}

function placeholders(offset: number): string {
  return COLUMNS.map((_, index) => `$${offset + index + 1}`).join(', ');
}

function rowValues(row: RawEvent, context: CommandContext, now: string): unknown[] {
  const { event } = row;

  return [
    uuidV7Ids.next(),
    row.streamId,
    row.streamType,
    row.version,
    context.tenantId,
    event.type,
    event.schemaVersion ?? 1,
    event.occurredAt ?? now,
    now,
    JSON.stringify(context.actor),
    context.correlationId,
    context.causationId ?? null,
    context.traceparent ?? null,
    JSON.stringify(event.data ?? null),
  ];
}
