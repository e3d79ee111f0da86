import { Pool } from 'pg';

import { CommandContext, NewEvent } from '@relate/contracts';
import { migrateEventStore, quoteSchema, uuidV7Ids } from '@relate/event-store';

// The events table's columns an insert gives, with their types (for the arrays of a batch).
const COLUMN_TYPES = {
  event_id: 'uuid',
  stream_id: 'text',
  stream_type: 'text',
  stream_version: 'int',
  tenant_id: 'text',
  type: 'text',
  schema_version: 'int',
  occurred_at: 'timestamptz',
  recorded_at: 'timestamptz',
  actor: 'jsonb',
  correlation_id: 'text',
  causation_id: 'text',
  traceparent: 'text',
  data: 'jsonb',
};
const COLUMNS = Object.keys(COLUMN_TYPES).join(', ');
const TYPES = Object.values(COLUMN_TYPES);
const ONE_ROW = TYPES.map((_, index) => `$${index + 1}`).join(', ');

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
      text: `INSERT INTO ${this.table} (${COLUMNS}) VALUES (${ONE_ROW})`,
      values: rowValues(row, context, new Date().toISOString()),
    });
  }

  /**
   * One insert of every row, its columns sent as arrays through `unnest` (one parameter a
   * column, not one a value): the cheapest plain multi-row insert, as the store sends its own.
   */
  async insertMany(rows: readonly RawEvent[], context: CommandContext): Promise<void> {
    const now = new Date().toISOString();
    const values = rows.map((row) => rowValues(row, context, now));
    const arrays = TYPES.map((_, column) => values.map((row) => row[column]));
    const unnested = TYPES.map((type, index) => `$${index + 1}::${type}[]`).join(', ');
    await this.pool.query({
      name: `bench_raw_insert_many_${this.schema}`,
      text: `INSERT INTO ${this.table} (${COLUMNS})
        SELECT * FROM unnest(${unnested})`,
      values: arrays,
    });
  }
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
