import { DatabaseError, Pool } from 'pg';

import { CommandContext, EventEnvelope, NewEvent } from '@relate/contracts';
import { RelateError, isRelateError } from '@relate/errors';

import { Clock, IdGenerator, systemClock, uuidV7Ids } from './clock';
import { encodeConsistencyToken } from './consistency-token';
import { ENVELOPE_COLUMNS, EventRow, toStoredEvent } from './event-row';
import {
  EventStoreErrorCodes,
  invalidEvent,
  storeFailure,
  wrongExpectedVersion,
} from './event-store.errors';
import { eventsChannel, migrateEventStore, quoteSchema } from './event-store.schema';
import { AppendOptions, AppendResult, ExpectedVersion, StoredEvent } from './event-store.types';

export interface PostgresEventStoreOptions {
  schema: string;
  clock?: Clock;
  ids?: IdGenerator;
  /**
   * Announce appends with pg_notify so a relay wakes at once (default true); turn it off only
   * for bulk loads that rely on the relay's poll.
   */
  notify?: boolean;
}

interface PreparedEvents {
  ids: string[];
  versions: number[];
  types: string[];
  schemaVersions: number[];
  occurredAts: string[];
  data: string[];
}

interface AppendRow {
  version: number | null;
  position: string | null;
}

const UNIQUE_VIOLATION = '23505';
// 'any' re-reads the version and retries on a race; past this many races something is wrong.
const MAX_ANY_VERSION_ATTEMPTS = 20;
const MAX_READ_ALL_LIMIT = 10_000;

/**
 * An event store on PostgreSQL. One append is one SQL statement, so one round trip and one
 * transaction: it moves the stream's version with a compare-and-set and inserts every event in
 * a single multi-row insert; once it has committed, an announcement wakes the relay. With the
 * database unreachable or gone, reads and appends fail with a retriable error that says whether
 * an append may have been stored.
 */
export class PostgresEventStore {
  private readonly clock: Clock;
  private readonly ids: IdGenerator;
  private readonly sql: ReturnType<typeof buildSql>;
  private readonly announcer?: Announcer;

  constructor(
    private readonly pool: Pool,
    private readonly options: PostgresEventStoreOptions,
  ) {
    this.clock = options.clock ?? systemClock;
    this.ids = options.ids ?? uuidV7Ids;
    this.sql = buildSql(options.schema);
    if (options.notify ?? true) {
      this.announcer = new Announcer(pool, this.sql.announce);
    }
  }

  /** Creates the schema and tables if missing (idempotent). */
  migrate(): Promise<void> {
    return migrateEventStore(this.pool, this.options.schema);
  }

  /**
   * Appends events to a stream if it is at the expected version. A stale expectation, or a
   * stream of another tenant, fails with `EVENT_STORE.WRONG_EXPECTED_VERSION` (conflict).
   */
  async append(
    streamId: string,
    streamType: string,
    events: NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    validateAppend(streamId, streamType, options);
    const { expectedVersion, context } = options;
    try {
      if (events.length === 0) {
        return await this.appendNothing(streamId, expectedVersion, context.tenantId);
      }
      if (expectedVersion === 'any') {
        return await this.appendAtAnyVersion(streamId, streamType, events, context);
      }
      const base = expectedVersion === 'no_stream' ? 0 : expectedVersion;

      return await this.appendAt(streamId, streamType, events, base, context, expectedVersion);
    } catch (error) {
      throw storeFailure(error, events.length > 0);
    }
  }

  /** The stream's events in version order; empty if it does not exist for this tenant. */
  async readStream(tenantId: string, streamId: string): Promise<EventEnvelope[]> {
    try {
      const { rows } = await this.pool.query<EventRow>({
        name: this.sql.readStreamName,
        text: this.sql.readStream,
        values: [streamId, tenantId],
      });

      return rows.map(toStoredEvent);
    } catch (error) {
      throw storeFailure(error, false);
    }
  }

  /**
   * Events of every stream after a position, only from finished transactions, ordered by
   * (transaction id, position). Used as a cursor, this order never skips an event whose
   * transaction commits after a later-numbered one (bigserial gaps), and keeps each stream's
   * order. Pass '0' to start from the beginning.
   */
  async readAll(afterPosition: string, limit: number): Promise<StoredEvent[]> {
    if (!/^[0-9]{1,19}$/.test(afterPosition) || !Number.isInteger(limit) || limit < 1) {
      throw invalidEvent('readAll', 'needs a decimal position and a positive integer limit');
    }
    const capped = Math.min(limit, MAX_READ_ALL_LIMIT);
    const fromStart = BigInt(afterPosition) === 0n;
    const { rows } = fromStart
      ? await this.pool.query<EventRow>(this.sql.readAllFromStart, [capped])
      : await this.pool.query<EventRow>(this.sql.readAllAfter, [afterPosition, capped]);
    if (rows.length === 0 && !fromStart) {
      await this.assertPositionExists(afterPosition);
    }

    return rows.map(toStoredEvent);
  }

  private async appendAt(
    streamId: string,
    streamType: string,
    events: NewEvent[],
    base: number,
    context: CommandContext,
    reportedExpectation: ExpectedVersion,
  ): Promise<AppendResult> {
    // One instant per append: an event without business time happened when it was recorded.
    const now = this.clock.now().toISOString();
    const prepared = this.prepareEvents(events, base, now);
    const next = base + events.length;
    const common = [
      streamId,
      context.tenantId,
      streamType,
      next,
      now,
      JSON.stringify(context.actor),
      context.correlationId,
      context.causationId ?? null,
      context.traceparent ?? null,
      prepared.ids,
      prepared.versions,
      prepared.types,
      prepared.schemaVersions,
      prepared.occurredAts,
      prepared.data,
    ];
    const query =
      base === 0
        ? { name: this.sql.appendNewName, text: this.sql.appendNew, values: common }
        : {
            name: this.sql.appendExistingName,
            text: this.sql.appendExisting,
            values: [...common, base],
          };
    let rows: AppendRow[];
    try {
      ({ rows } = await this.pool.query<AppendRow>(query));
    } catch (error) {
      if (error instanceof DatabaseError && error.code === UNIQUE_VIOLATION) {
        throw await this.conflict(streamId, context.tenantId, reportedExpectation, error);
      }
      throw error;
    }
    const [row] = rows;
    if (!row || row.version === null || row.position === null) {
      throw await this.conflict(streamId, context.tenantId, reportedExpectation);
    }
    this.announcer?.announce();

    return {
      streamVersion: row.version,
      position: row.position,
      consistencyToken: encodeConsistencyToken(streamId, row.version),
    };
  }

  private async appendAtAnyVersion(
    streamId: string,
    streamType: string,
    events: NewEvent[],
    context: CommandContext,
  ): Promise<AppendResult> {
    // Not a blind upsert: an upsert that waits for a concurrent append's row lock may hold an
    // older transaction id than that append, and the relay orders by transaction id. Reading
    // first and appending with a compare-and-set keeps ids in version order for every stream.
    for (let attempt = 1; ; attempt++) {
      const current = await this.currentVersion(streamId, context.tenantId);
      if (current === null) {
        throw wrongExpectedVersion(streamId, 'any', null);
      }
      try {
        return await this.appendAt(streamId, streamType, events, current, context, 'any');
      } catch (error) {
        const raced =
          isRelateError(error) &&
          error.code === EventStoreErrorCodes.wrongExpectedVersion &&
          error.details.actual !== null;
        if (!raced || attempt >= MAX_ANY_VERSION_ATTEMPTS) {
          throw error;
        }
      }
    }
  }

  private async appendNothing(
    streamId: string,
    expected: ExpectedVersion,
    tenantId: string,
  ): Promise<AppendResult> {
    const actual = await this.currentVersion(streamId, tenantId);
    const wanted = expected === 'no_stream' ? 0 : expected;
    if (actual === null || (wanted !== 'any' && wanted !== actual)) {
      throw wrongExpectedVersion(streamId, expected, actual);
    }
    const { rows } = await this.pool.query<{ position: string | null }>(
      this.sql.lastPositionOfStream,
      [streamId],
    );

    return {
      streamVersion: actual,
      position: rows[0]?.position ?? '0',
      consistencyToken: encodeConsistencyToken(streamId, actual),
    };
  }

  /** The stream's version for this tenant: 0 if absent, null if another tenant owns it. */
  private async currentVersion(streamId: string, tenantId: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ version: number; tenant_id: string }>(
      this.sql.streamVersion,
      [streamId],
    );
    if (rows.length === 0) {
      return 0;
    }

    return rows[0].tenant_id === tenantId ? rows[0].version : null;
  }

  private async conflict(
    streamId: string,
    tenantId: string,
    expected: ExpectedVersion,
    cause?: unknown,
  ): Promise<RelateError> {
    return wrongExpectedVersion(
      streamId,
      expected,
      await this.currentVersion(streamId, tenantId),
      cause,
    );
  }

  private prepareEvents(events: NewEvent[], base: number, now: string): PreparedEvents {
    const prepared: PreparedEvents = {
      ids: [],
      versions: [],
      types: [],
      schemaVersions: [],
      occurredAts: [],
      data: [],
    };
    events.forEach((event, index) => {
      validateEvent(event, index);
      prepared.ids.push(this.ids.next());
      prepared.versions.push(base + index + 1);
      prepared.types.push(event.type);
      prepared.schemaVersions.push(event.schemaVersion ?? 1);
      // Through Date, so a date-only or zone-less value means UTC, not the server's zone.
      prepared.occurredAts.push(event.occurredAt ? new Date(event.occurredAt).toISOString() : now);
      prepared.data.push(JSON.stringify(event.data ?? null));
    });

    return prepared;
  }

  private async assertPositionExists(position: string): Promise<void> {
    const { rowCount } = await this.pool.query(this.sql.positionExists, [position]);
    if (rowCount === 0) {
      throw new RelateError(
        EventStoreErrorCodes.invalidPosition,
        'validation',
        `Position ${position} is not a position of this store`,
        { details: { position } },
      );
    }
  }
}

function validateAppend(streamId: string, streamType: string, options: AppendOptions): void {
  const { expectedVersion, context } = options;
  const checks: Array<[boolean, string, string]> = [
    [typeof streamId === 'string' && streamId.length > 0, 'streamId', 'must not be empty'],
    [typeof streamType === 'string' && streamType.length > 0, 'streamType', 'must not be empty'],
    [Boolean(context?.tenantId), 'context.tenantId', 'must not be empty'],
    [Boolean(context?.actor?.id), 'context.actor', 'must name an actor'],
    [Boolean(context?.correlationId), 'context.correlationId', 'must not be empty'],
    [
      expectedVersion === 'any' ||
        expectedVersion === 'no_stream' ||
        (Number.isSafeInteger(expectedVersion) && expectedVersion >= 0),
      'expectedVersion',
      "must be a version >= 0, 'no_stream' or 'any'",
    ],
  ];
  const failed = checks.find(([ok]) => !ok);
  if (failed) {
    throw invalidEvent(failed[1], failed[2]);
  }
}

function validateEvent(event: NewEvent, index: number): void {
  if (typeof event.type !== 'string' || event.type.length === 0) {
    throw invalidEvent(`events[${index}].type`, 'must not be empty');
  }
  if (event.occurredAt !== undefined && Number.isNaN(Date.parse(event.occurredAt))) {
    throw invalidEvent(`events[${index}].occurredAt`, 'must be an ISO 8601 date-time');
  }
  const schemaVersion = event.schemaVersion ?? 1;
  if (!Number.isSafeInteger(schemaVersion) || schemaVersion < 1) {
    throw invalidEvent(`events[${index}].schemaVersion`, 'must be a positive integer');
  }
}

/**
 * Wakes the relay after appends have committed: one NOTIFY at a time, and one more for all the
 * appends that committed while it was on its way. Not in the append's own transaction: a
 * transaction that notifies holds a cluster-wide lock from its commit until that commit is on
 * disk, so notifying appends reached the disk one after another instead of sharing flushes.
 * Nor does the announcement's commit wait for the disk: a lost wake-up costs the relay one
 * poll, never an event.
 */
class Announcer {
  private sending = false;
  private pending = false;

  constructor(
    private readonly pool: Pool,
    private readonly sql: string,
  ) {}

  announce(): void {
    this.pending = true;
    if (!this.sending) {
      void this.send();
    }
  }

  private async send(): Promise<void> {
    this.sending = true;
    while (this.pending) {
      this.pending = false;
      try {
        await this.pool.query(this.sql);
      } catch {
        // The append has committed; the relay's poll finds it without the wake-up.
      }
    }
    this.sending = false;
  }
}

function buildSql(schema: string) {
  const s = quoteSchema(schema);
  const insertEvents = `appended AS (
      INSERT INTO ${s}.events (event_id, stream_id, stream_type, stream_version, tenant_id, type,
        schema_version, occurred_at, recorded_at, actor, correlation_id, causation_id,
        traceparent, data)
      SELECT e.event_id, $1, $3, e.stream_version, $2, e.type, e.schema_version, e.occurred_at,
        $5::timestamptz, $6::jsonb, $7, $8, $9, e.data::jsonb
      FROM unnest($10::uuid[], $11::int[], $12::text[], $13::int[], $14::timestamptz[],
        $15::text[]) AS e(event_id, stream_version, type, schema_version, occurred_at, data)
      WHERE EXISTS (SELECT 1 FROM stream)
      RETURNING position
    )`;
  const result = `SELECT (SELECT version FROM stream) AS version,
      (SELECT max(position)::text FROM appended) AS position`;
  const readAll = (cursor: string, limitParam: string) => `SELECT ${ENVELOPE_COLUMNS}
    FROM ${s}.events e
    WHERE e.transaction_id < pg_snapshot_xmin(pg_current_snapshot()) ${cursor}
    ORDER BY e.transaction_id, e.position
    LIMIT ${limitParam}`;

  return {
    appendNewName: `relate_append_new_${schema}`,
    appendNew: `WITH stream AS (
        INSERT INTO ${s}.streams (stream_id, tenant_id, stream_type, version)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (stream_id) DO NOTHING
        RETURNING version
      ), ${insertEvents}
      ${result}`,
    appendExistingName: `relate_append_existing_${schema}`,
    appendExisting: `WITH stream AS (
        UPDATE ${s}.streams SET version = $4
        WHERE stream_id = $1 AND tenant_id = $2 AND version = $16
        RETURNING version
      ), ${insertEvents}
      ${result}`,
    readStreamName: `relate_read_stream_${schema}`,
    readStream: `SELECT ${ENVELOPE_COLUMNS} FROM ${s}.events e
      WHERE e.stream_id = $1 AND e.tenant_id = $2 ORDER BY e.stream_version`,
    readAllFromStart: readAll('', '$1'),
    readAllAfter: readAll(
      `AND (e.transaction_id, e.position) >
        (SELECT c.transaction_id, c.position FROM ${s}.events c WHERE c.position = $1::bigint)`,
      '$2',
    ),
    announce: `SELECT set_config('synchronous_commit', 'off', true),
      pg_notify('${eventsChannel(schema)}', '')`,
    streamVersion: `SELECT version, tenant_id FROM ${s}.streams WHERE stream_id = $1`,
    lastPositionOfStream: `SELECT max(position)::text AS position FROM ${s}.events
      WHERE stream_id = $1`,
    positionExists: `SELECT 1 FROM ${s}.events WHERE position = $1::bigint`,
  };
}
