import { Logger, LoggerService } from '@nestjs/common';
import { Pool, PoolClient } from 'pg';

import { EventEnvelope } from '@relate/contracts';

import { ENVELOPE_COLUMNS, EventRow, toStoredEvent } from './event-row';
import { eventsChannel, migrateEventStore, quoteSchema } from './event-store.schema';

/** Where the relay sends events; @relate/messaging's EventPublisher is one. */
export interface OutboxPublisher {
  publish(topic: string, events: EventEnvelope[]): Promise<void>;
}

/**
 * Where the relay reports what operators watch (service-kit wires it to the service's metrics).
 * `relay` is the relay's name (its topic by default).
 */
export interface OutboxRelayMetrics {
  /** Events published; called with 0 when the relay starts, so its series shows from then. */
  relayed(relay: string, events: number): void;
  /** Committed events not yet published, and those of them held back by an open transaction. */
  waiting(relay: string, events: number, heldBack: number): void;
  /** Age of the oldest open transaction holding back committed events; 0 when none. */
  holdBackAge(relay: string, seconds: number): void;
}

/** What a check for a transaction holding back the relay found. */
export interface HoldBackState {
  /** Committed events after the checkpoint, published or not yet publishable. */
  waiting: number;
  /** Of those, events an older transaction, still open, keeps from being published. */
  heldBack: number;
  /** The oldest open transaction with an id, when events are held back. */
  holder: HoldBackHolder | null;
}

export interface HoldBackHolder {
  pid: number;
  applicationName: string;
  database: string | null;
  openForMs: number;
}

export interface OutboxRelayOptions {
  schema: string;
  topic: string;
  publisher: OutboxPublisher;
  /** Events per send; kafkajs does not batch on its own. Default 500. */
  batchSize?: number;
  /** Fallback poll when no notification arrives. Default 1000 ms. */
  pollIntervalMs?: number;
  /** Checkpoint name, so that one store can feed several topics. Default: the topic. */
  name?: string;
  /** Warn when a transaction this old holds back committed events. Default 30 s. */
  holdBackWarningMs?: number;
  /** How often to look for such a transaction, and count waiting events. Default 5 s. */
  holdBackCheckIntervalMs?: number;
  /** While one holds the relay back, warn again this often. Default 60 s. */
  holdBackRepeatMs?: number;
  metrics?: OutboxRelayMetrics;
  /** Default a Nest Logger named OutboxRelay. */
  logger?: LoggerService;
}

interface HoldBackWarning {
  pid: number;
  since: number;
  lastWarnedAt: number;
}

interface RelayRow extends EventRow {
  transaction_id: string;
}

// Neither a broker nor a database coming back notifies the relay: look again within seconds.
const MAX_FAILURE_BACKOFF_MS = 5_000;
// Most events held back wait for a short transaction (another service's projection, say) that
// ends within milliseconds: the first look comes 2 ms later (1 * 2^1), not 20 ms.
const FIRST_HELD_BACK_RETRY_MS = 1;
const MAX_HELD_BACK_RETRY_MS = 250;
const LAST_PASS_MS = 3_000;

/**
 * Publishes the committed events of one store to one topic, at least once, in order per stream.
 *
 * Positions come from a sequence, so a transaction can commit after one holding a later position
 * (a bigserial gap that later fills). Reading by position would skip it. The relay reads only
 * rows of transactions older than every transaction still running
 * (`transaction_id < pg_snapshot_xmin(pg_current_snapshot())`): nothing can commit behind them
 * any more. It orders by (transaction_id, position) and checkpoints the last pair after each
 * published batch. A long-open transaction anywhere in the cluster holds the relay back, so it
 * warns about one (when it starts holding back, at intervals while it does, and when it ends),
 * and reports its age and the events waiting as metrics. One relay per schema and name
 * publishes; others stand by on a session lock.
 */
export class OutboxRelay {
  private readonly logger: LoggerService;
  private readonly name: string;
  private readonly batchSize: number;
  private readonly pollIntervalMs: number;
  private readonly holdBackWarningMs: number;
  private readonly holdBackCheckIntervalMs: number;
  private readonly holdBackRepeatMs: number;
  private readonly sql: ReturnType<typeof buildSql>;
  private running = false;
  private loop: Promise<void> | null = null;
  private listener: PoolClient | null = null;
  private standingBy = false;
  private wakeRequested = false;
  private wakeOnNotification = true;
  private wakeUp: (() => void) | null = null;
  private serial: Promise<unknown> = Promise.resolve();
  private lastHoldBackCheck = 0;
  private warning: HoldBackWarning | null = null;

  constructor(
    private readonly pool: Pool,
    private readonly options: OutboxRelayOptions,
  ) {
    this.name = options.name ?? options.topic;
    this.batchSize = options.batchSize ?? 500;
    this.pollIntervalMs = options.pollIntervalMs ?? 1000;
    this.holdBackWarningMs = options.holdBackWarningMs ?? 30_000;
    this.holdBackCheckIntervalMs = options.holdBackCheckIntervalMs ?? 5_000;
    this.holdBackRepeatMs = options.holdBackRepeatMs ?? 60_000;
    this.logger = options.logger ?? new Logger(OutboxRelay.name);
    this.sql = buildSql(options.schema, this.name);
  }

  async start(): Promise<void> {
    if (this.running) {
      return;
    }
    await migrateEventStore(this.pool, this.options.schema);
    this.running = true;
    this.options.metrics?.relayed(this.name, 0);
    this.loop = this.run();
    this.logger.log('outbox relay started', { relay: this.name, topic: this.options.topic });
  }

  /** Stops after the batch in flight is published and checkpointed. */
  async stop(): Promise<void> {
    if (!this.running) {
      return;
    }
    this.running = false;
    this.wake();
    await this.loop;
    this.loop = null;
    this.dropListener();
    this.logger.log('outbox relay stopped', { relay: this.name });
  }

  /** Publishes everything publishable now, batch by batch; returns how many events. */
  publishPending(): Promise<number> {
    return this.serialized(() => this.drain(() => true));
  }

  private async run(): Promise<void> {
    let failures = 0;
    let heldBackPasses = 0;
    while (this.running) {
      this.wakeRequested = false;
      let delay = this.pollIntervalMs;
      try {
        const leading = await this.holdLeadership();
        if (leading) {
          await this.serialized(() => this.drain(() => this.running));
        }
        const heldBack = leading && (await this.eventsHeldBack());
        await this.checkHoldBack(heldBack);
        failures = 0;
        // Committed events that we may not publish yet wait for an older transaction to end,
        // which notifies nobody unless it appends too: look again soon, not after a full poll.
        heldBackPasses = heldBack ? heldBackPasses + 1 : 0;
        if (heldBack) {
          delay = Math.min(
            FIRST_HELD_BACK_RETRY_MS * 2 ** heldBackPasses,
            MAX_HELD_BACK_RETRY_MS,
            this.pollIntervalMs,
          );
        }
      } catch (error) {
        failures += 1;
        // Events wait meanwhile (Kafka down): keep counting them, if PostgreSQL answers.
        await this.checkHoldBack(null).catch(() => undefined);
        delay = Math.min(this.pollIntervalMs * 2 ** failures, MAX_FAILURE_BACKOFF_MS);
        this.logger.warn('outbox relay pass failed', {
          relay: this.name,
          attempt: failures,
          retryInMs: delay,
          error: describe(error),
        });
      }
      // After a failure, wait out the backoff: waking on every append would retry (and warn)
      // as often as the service writes while Kafka or PostgreSQL is down.
      await this.sleepUnlessWoken(delay, failures === 0);
    }
    await this.publishLastCommitted();
  }

  /**
   * One more pass when stopping: a service stops its HTTP server before its relay, so the events
   * its last requests committed are here now, though another transaction of the cluster may
   * still hold some back for a moment. Bounded, so an absent broker or a long-open transaction
   * cannot hold the stop; what is left waits in the outbox for the next start.
   */
  private async publishLastCommitted(): Promise<void> {
    if (!this.listener || this.standingBy) {
      return;
    }
    const deadline = Date.now() + LAST_PASS_MS;
    const beforeDeadline = () => Date.now() < deadline;
    try {
      const published = await this.serialized(async () => {
        let total = await this.drain(beforeDeadline);
        for (let pass = 1; beforeDeadline() && (await this.eventsHeldBack()); pass++) {
          await sleep(Math.min(FIRST_HELD_BACK_RETRY_MS * 2 ** pass, MAX_HELD_BACK_RETRY_MS));
          total += await this.drain(beforeDeadline);
        }

        return total;
      });
      if (published > 0) {
        this.logger.log('outbox relay published on stop', { relay: this.name, published });
      }
    } catch (error) {
      this.logger.warn('outbox relay could not publish on stop; events wait for the next start', {
        relay: this.name,
        error: describe(error),
      });
    }
  }

  private async drain(shouldContinue: () => boolean): Promise<number> {
    let total = 0;
    for (;;) {
      const published = await this.publishBatch();
      total += published;
      if (published < this.batchSize || !shouldContinue()) {
        return total;
      }
    }
  }

  private async publishBatch(): Promise<number> {
    const { rows } = await this.pool.query<RelayRow>(this.sql.nextBatch, [this.batchSize]);
    if (rows.length === 0) {
      return 0;
    }
    await this.options.publisher.publish(this.options.topic, rows.map(toEnvelope));
    const last = rows[rows.length - 1];
    await this.pool.query(this.sql.saveCheckpoint, [last.transaction_id, last.position]);
    this.options.metrics?.relayed(this.name, rows.length);

    return rows.length;
  }

  /** Listens for appends and takes the relay's session lock on the same connection. */
  private async holdLeadership(): Promise<boolean> {
    if (this.listener && !this.standingBy) {
      return true;
    }
    if (!this.listener) {
      const client = await this.pool.connect();
      client.on('notification', () => this.wake());
      client.on('error', (error) => {
        this.logger.warn('outbox relay lost its listening connection', {
          relay: this.name,
          error: describe(error),
        });
        this.dropListener(client);
      });
      this.listener = client;
      await client.query(`LISTEN "${eventsChannel(this.options.schema)}"`);
    }
    const { rows } = await this.listener.query<{ locked: boolean }>(this.sql.tryLock);
    const wasStandingBy = this.standingBy;
    this.standingBy = !rows[0].locked;
    if (this.standingBy && !wasStandingBy) {
      this.logger.log('outbox relay standing by: another relay publishes', { relay: this.name });
    }

    return !this.standingBy;
  }

  /** Whether committed events exist that an older, still open transaction holds back. */
  private async eventsHeldBack(): Promise<boolean> {
    const { rows } = await this.pool.query<{ held_back: boolean }>(this.sql.eventsHeldBack);

    return rows[0].held_back;
  }

  /**
   * Counts the waiting events and, when some are held back, finds the transaction holding them
   * (at most every `holdBackCheckIntervalMs`); updates the metrics and the warning.
   */
  private async checkHoldBack(heldBack: boolean | null): Promise<void> {
    if (heldBack === false) {
      this.options.metrics?.holdBackAge(this.name, 0);
      this.holdBackEnded(null);
    }
    const now = Date.now();
    if (now - this.lastHoldBackCheck < this.holdBackCheckIntervalMs) {
      return;
    }
    this.lastHoldBackCheck = now;
    const state = await this.holdBackState();
    // After a failed pass (`null`), only the metrics: whether a warning ended is not known.
    if (heldBack === null) {
      this.reportMetrics(state);
    } else {
      this.report(state);
    }
  }

  /** What holds the relay back now (no holder when nothing is held back). */
  async holdBackState(): Promise<HoldBackState> {
    const { rows } = await this.pool.query<{ waiting: string; held_back: string }>(
      this.sql.waitingEvents,
    );
    const waiting = Number(rows[0].waiting);
    const heldBack = Number(rows[0].held_back);
    if (heldBack === 0) {
      return { waiting, heldBack, holder: null };
    }
    const holders = await this.pool.query<{
      pid: number;
      application_name: string;
      database: string | null;
      open_for_ms: string;
    }>(this.sql.oldestTransaction);
    const holder = holders.rows[0];

    return {
      waiting,
      heldBack,
      holder:
        holder === undefined
          ? null
          : {
              pid: holder.pid,
              applicationName: holder.application_name,
              database: holder.database,
              openForMs: Number(holder.open_for_ms),
            },
    };
  }

  /** Refreshes the metrics from the database, e.g. before a scrape (warnings stay the loop's). */
  async refreshMetrics(): Promise<HoldBackState> {
    const state = await this.holdBackState();
    this.reportMetrics(state);

    return state;
  }

  private reportMetrics({ holder, heldBack, waiting }: HoldBackState): void {
    this.options.metrics?.waiting(this.name, waiting, heldBack);
    this.options.metrics?.holdBackAge(this.name, holder === null ? 0 : holder.openForMs / 1000);
  }

  private report(state: HoldBackState): void {
    const { holder, heldBack } = state;
    this.reportMetrics(state);
    if (holder === null || heldBack === 0) {
      this.holdBackEnded(null);

      return;
    }
    this.holdBackEnded(holder.pid);
    if (holder.openForMs < this.holdBackWarningMs) {
      return;
    }
    const now = Date.now();
    const fields = {
      relay: this.name,
      pid: holder.pid,
      applicationName: holder.applicationName,
      database: holder.database,
      openForMs: holder.openForMs,
      eventsHeldBack: heldBack,
    };
    if (this.warning === null) {
      this.warning = { pid: holder.pid, since: now - holder.openForMs, lastWarnedAt: now };
      this.logger.warn('outbox relay held back by a long-open transaction', fields);
    } else if (now - this.warning.lastWarnedAt >= this.holdBackRepeatMs) {
      this.warning.lastWarnedAt = now;
      this.logger.warn('outbox relay still held back by a long-open transaction', fields);
    }
  }

  /** Logs the end of a warned hold-back, unless the same transaction (`pid`) still holds. */
  private holdBackEnded(pid: number | null): void {
    if (this.warning === null || this.warning.pid === pid) {
      return;
    }
    this.logger.log('outbox relay no longer held back', {
      relay: this.name,
      pid: this.warning.pid,
      heldBackForMs: Date.now() - this.warning.since,
    });
    this.warning = null;
  }

  private wake(): void {
    this.wakeRequested = true;
    if (this.wakeOnNotification || !this.running) {
      this.wakeUp?.();
    }
  }

  private sleepUnlessWoken(ms: number, wakeOnNotification: boolean): Promise<void> {
    if ((wakeOnNotification && this.wakeRequested) || !this.running) {
      return Promise.resolve();
    }
    this.wakeOnNotification = wakeOnNotification;

    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.wakeUp?.(), ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
    });
  }

  private dropListener(client = this.listener): void {
    if (!client || client !== this.listener) {
      return;
    }
    this.listener = null;
    this.standingBy = false;
    // Destroy rather than return it: a pooled connection would keep the session lock.
    client.release(true);
  }

  private serialized<T>(work: () => Promise<T>): Promise<T> {
    const result = this.serial.then(work, work);
    this.serial = result.catch(() => undefined);

    return result;
  }
}

function toEnvelope(row: RelayRow): EventEnvelope {
  const stored = toStoredEvent(row);

  return {
    id: stored.id,
    type: stored.type,
    schemaVersion: stored.schemaVersion,
    streamId: stored.streamId,
    streamVersion: stored.streamVersion,
    tenantId: stored.tenantId,
    occurredAt: stored.occurredAt,
    recordedAt: stored.recordedAt,
    actor: stored.actor,
    correlationId: stored.correlationId,
    causationId: stored.causationId,
    traceparent: stored.traceparent,
    data: stored.data,
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function buildSql(schema: string, name: string) {
  const s = quoteSchema(schema);
  const nameLiteral = `'${name.replace(/'/g, "''")}'`;
  const checkpoint = (column: string, zero: string) =>
    `COALESCE((SELECT ${column} FROM ${s}.relay_checkpoints WHERE name = ${nameLiteral}), ${zero})`;

  return {
    nextBatch: `SELECT transaction_id::text AS transaction_id, ${ENVELOPE_COLUMNS}
      FROM ${s}.events e
      WHERE (e.transaction_id, e.position) > (${checkpoint('transaction_id', "'0'::xid8")},
          ${checkpoint('position', '0')})
        AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      ORDER BY e.transaction_id, e.position
      LIMIT $1`,
    // A checkpoint lost in a crash only publishes its events once more, which consumers skip:
    // its commit need not wait for the WAL flush (set_config applies to this statement's
    // transaction alone), and the next batch need not wait for the disk.
    saveCheckpoint: `INSERT INTO ${s}.relay_checkpoints (name, transaction_id, position)
      SELECT ${nameLiteral}, $1::xid8, $2::bigint
      FROM (SELECT set_config('synchronous_commit', 'off', true)) AS flush_not_awaited
      ON CONFLICT (name) DO UPDATE
      SET transaction_id = EXCLUDED.transaction_id, position = EXCLUDED.position,
        updated_at = now()`,
    tryLock: `SELECT pg_try_advisory_lock(hashtextextended(${nameLiteral} || '@' || '${schema}',
      0)) AS locked`,
    // Rows we can see are committed; those at or above xmin are not publishable yet.
    eventsHeldBack: `SELECT EXISTS (SELECT 1 FROM ${s}.events e
      WHERE e.transaction_id >= pg_snapshot_xmin(pg_current_snapshot())) AS held_back`,
    // Committed events after the checkpoint; of those, the ones an open transaction holds back.
    waitingEvents: `SELECT count(*)::text AS waiting,
        count(*) FILTER (WHERE e.transaction_id >= pg_snapshot_xmin(pg_current_snapshot()))::text
          AS held_back
      FROM ${s}.events e
      WHERE (e.transaction_id, e.position) > (${checkpoint('transaction_id', "'0'::xid8")},
          ${checkpoint('position', '0')})`,
    // Only transactions with an id hold back pg_snapshot_xmin, and ids are cluster-wide. Never
    // the query text: it may carry personal data.
    oldestTransaction: `SELECT a.pid, a.datname AS database, a.application_name,
        (extract(epoch FROM clock_timestamp() - a.xact_start) * 1000)::bigint AS open_for_ms
      FROM pg_stat_activity a
      WHERE a.backend_xid IS NOT NULL AND a.pid <> pg_backend_pid()
      ORDER BY age(a.backend_xid) DESC
      LIMIT 1`,
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
