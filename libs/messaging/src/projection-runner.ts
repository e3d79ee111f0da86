import { Logger } from '@nestjs/common';
import { Consumer, EachBatchPayload, Kafka, KafkaMessage, Partitioners, Producer } from 'kafkajs';
import { Pool, PoolClient } from 'pg';

import { EventEnvelope, EventHeaders } from '@relate/contracts';
import { conflict, notFound, RelateError } from '@relate/errors';
import { SpanAttributes, SpanNames, withExtractedContext } from '@relate/observability';

import { deadLetterHeaders, deadLetterTopicFor } from './dead-letter';
import { decodeEventMessage, headerText } from './event-message';
import {
  backoffDelay,
  describeError,
  errorCode,
  isConnectionError,
  isRetriableError,
} from './failure-policy';
import { KafkaSettings, createKafkaClient } from './kafka-client';
import {
  ParkReason,
  parkedEventsSql,
  recordParkedEvent,
  StoredParkedRow,
  toStoredParkedEvent,
} from './parked-events';
import { Projection } from './projection';
import { ProjectionMetrics } from './projection-metrics';
import { MIGRATION_LOCK, ProgressInTransaction, progressSql } from './projection-progress';

export interface ProjectionRunnerOptions {
  /** Schema of the progress table (the owning service's). */
  schema: string;
  /** A new consumer group reads its topics from the start (DESIGN.md, read models). */
  fromBeginning?: true;
  /** Further attempts for a non-retriable failure before the event is parked. Default 3. */
  maxRetries?: number;
  /** Where to park poison events. Default: `<topic>.dlq` of the event's topic. */
  deadLetterTopic?: string;
  /** Default `relate.<schema>.<projection name>`, so two services' projections never share. */
  groupId?: string;
  /**
   * The projection's generation this runner feeds (see `projection_generations`); default 0.
   * Once a rebuild has moved the projection to another generation, this runner applies nothing.
   */
  generation?: number;
  /** Events applied per database transaction when none fails. Default 100. */
  transactionBatchSize?: number;
  retryBackoffMs?: number;
  /** Default 5 s: a database or broker that comes back notifies nobody; retry soon after. */
  maxRetryBackoffMs?: number;
  /**
   * The consumer's session: how long a dead member holds its partitions, and so how long a
   * restarted one waits to join. Default 30 s (kafkajs'); the rebalance timeout is three times it.
   */
  sessionTimeoutMs?: number;
  /** Counters of applied, skipped and parked events, for `GET /ops/metrics`. */
  metrics?: ProjectionMetrics;
}

/** Counters since start, for health pages and tests. */
export interface ProjectionRunnerStats {
  applied: number;
  skipped: number;
  gaps: number;
  deadLettered: number;
  /** Events parked because an earlier event of their stream is parked. */
  parkedBehind: number;
}

/** What an operator's retry of a parked event did. */
export interface ParkedEventRetry {
  projection: string;
  eventId: string;
  streamId: string | null;
  /** The retried event and those parked behind it, in stream order: applied now. */
  applied: string[];
  /** Parked events the projection had applied meanwhile (a redelivery): marked resolved. */
  skipped: string[];
}

export const ParkedEventErrorCodes = {
  notFound: 'PARKED_EVENTS.NOT_FOUND',
  alreadyResolved: 'PARKED_EVENTS.ALREADY_RESOLVED',
  waitingBehind: 'PARKED_EVENTS.WAITING_BEHIND',
  retryFailed: 'PARKED_EVENTS.RETRY_FAILED',
  invalidRetry: 'PARKED_EVENTS.INVALID_RETRY',
  invalidQuery: 'PARKED_EVENTS.INVALID_QUERY',
  notRunning: 'PARKED_EVENTS.NOT_RUNNING',
} as const;

interface Delivery {
  topic: string;
  partition: number;
  message: KafkaMessage;
  event: EventEnvelope | null;
  decodeError: unknown;
  traceparent: string | null;
}

interface Outcome {
  event: EventEnvelope;
  result: 'applied' | 'skipped' | 'parked';
  previous: number;
}

/** The first parked event of each stream, by stream id, read under the streams' row locks. */
type Blockers = Map<string, string>;

interface Waiter {
  version: number;
  resolve: (seen: boolean) => void;
}

const WAIT_POLL_MS = 250;
const MAX_ERROR_MESSAGE_LENGTH = 1000;
const HEARTBEAT_EVERY_MS = 3000;

/**
 * Feeds one projection from its topics. Each event is applied in a PostgreSQL transaction that
 * also records the stream version applied; the Kafka offset is committed only after that
 * transaction commits. A redelivery (restart, rebalance, replay) is recognised and skipped.
 *
 * An event that keeps failing (not retriably) is parked after `maxRetries`: sent to the
 * dead-letter topic, then recorded in `<schema>.parked_events`; the stream's later events are
 * parked behind it (only in the table) so that none is applied over the hole, while other streams
 * flow on. An operator retries it after a fix ({@link retryParked}).
 *
 * Why kafkajs directly rather than @nestjs/microservices' ServerKafka: ServerKafka commits
 * offsets by kafkajs' auto-commit, independently of our database transaction, so a crash can
 * commit an offset whose event never applied; it offers no hook to commit after our own
 * transaction, no per-group `fromBeginning`, and retries through its own exception filter with
 * no control over dead-letter ordering. Those are exactly the guarantees this runner exists for.
 */
export class ProjectionRunner {
  readonly stats: ProjectionRunnerStats = {
    applied: 0,
    skipped: 0,
    gaps: 0,
    deadLettered: 0,
    parkedBehind: 0,
  };
  private readonly logger = new Logger(ProjectionRunner.name);
  private readonly kafka: Kafka;
  private readonly options: Required<Omit<ProjectionRunnerOptions, 'deadLetterTopic' | 'metrics'>> &
    Pick<ProjectionRunnerOptions, 'deadLetterTopic' | 'metrics'>;
  private readonly sql: ReturnType<typeof progressSql>;
  private readonly parkedSql: ReturnType<typeof parkedEventsSql>;
  private readonly waiters = new Map<string, Set<Waiter>>();
  private consumer: Consumer | null = null;
  private producer: Producer | null = null;
  private running = false;
  private fenced = false;
  private stopRequested: () => void = () => undefined;
  private stopSignal: Promise<void> = Promise.resolve();

  constructor(
    private readonly pool: Pool,
    kafka: KafkaSettings,
    private readonly projection: Projection,
    options: ProjectionRunnerOptions = { schema: 'public' },
  ) {
    this.kafka = createKafkaClient(kafka);
    this.options = {
      fromBeginning: true,
      maxRetries: 3,
      groupId: `relate.${options.schema}.${projection.name}`,
      transactionBatchSize: 100,
      retryBackoffMs: 100,
      maxRetryBackoffMs: 5_000,
      sessionTimeoutMs: 30_000,
      generation: 0,
      ...options,
    };
    this.sql = progressSql(options.schema);
    this.parkedSql = parkedEventsSql(options.schema);
  }

  get projectionName(): string {
    return this.projection.name;
  }

  get groupId(): string {
    return this.options.groupId;
  }

  get generation(): number {
    return this.options.generation;
  }

  /** Whether the runner is consuming (started, not stopped, not fenced off by a rebuild). */
  get isRunning(): boolean {
    return this.running && !this.fenced;
  }

  /** Creates the progress table and the projection's tables (idempotent). */
  async migrate(): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One lock for every runner, not one per projection: runners of a schema share the
      // progress table, and PostgreSQL can fail two concurrent `CREATE TABLE IF NOT EXISTS` of
      // one schema or table with a duplicate key in its catalog (pg_namespace, pg_type).
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
      for (const statement of [...this.sql.migrate, ...this.parkedSql.migrate]) {
        await client.query(statement);
      }
      await this.projection.migrate(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async start(): Promise<void> {
    if (this.running) {
      return;
    }
    await this.migrate();
    this.options.metrics?.declare(this.projection.name);
    this.stopSignal = new Promise((resolve) => (this.stopRequested = resolve));
    this.producer = this.kafka.producer({
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
      maxInFlightRequests: 1,
    });
    this.consumer = this.kafka.consumer({
      groupId: this.options.groupId,
      allowAutoTopicCreation: true,
      maxWaitTimeInMs: 500,
      sessionTimeout: this.options.sessionTimeoutMs,
      rebalanceTimeout: 3 * this.options.sessionTimeoutMs,
    });
    await this.producer.connect();
    await this.consumer.connect();
    await this.consumer.subscribe({
      topics: this.projection.topics,
      // An explicit `undefined` in the options must not turn a new group to the latest offset.
      fromBeginning: this.options.fromBeginning ?? true,
    });
    this.running = true;
    await this.consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: (payload) => this.handleBatch(payload),
    });
    this.logger.log('projection started', {
      projection: this.projection.name,
      groupId: this.options.groupId,
      topics: this.projection.topics,
    });
  }

  /** Stops consuming; an event being retried is abandoned uncommitted and comes back later. */
  async stop(): Promise<void> {
    if (!this.running) {
      return;
    }
    this.running = false;
    this.stopRequested();
    await this.consumer?.disconnect();
    await this.producer?.disconnect();
    this.consumer = null;
    this.producer = null;
    this.logger.log('projection stopped', { projection: this.projection.name });
  }

  /**
   * Read-your-writes: resolves true once this projection has applied `version` of the stream
   * (now or before the call, by this instance or another), false after `timeoutMs`.
   */
  async waitFor(streamId: string, version: number, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      let settled = false;
      const waiter: Waiter = { version, resolve: (seen) => finish(seen) };
      const waiting = this.waiters.get(streamId) ?? new Set<Waiter>();
      this.waiters.set(streamId, waiting.add(waiter));
      const check = (): void => {
        this.recordedVersion(streamId).then(
          (recorded) => recorded >= version && finish(true),
          () => undefined,
        );
      };
      const poll = setInterval(check, Math.min(WAIT_POLL_MS, timeoutMs));
      const timeout = setTimeout(() => finish(false), timeoutMs);
      const finish = (seen: boolean): void => {
        if (settled) {
          return;
        }
        settled = true;
        clearInterval(poll);
        clearTimeout(timeout);
        waiting.delete(waiter);
        if (waiting.size === 0 && this.waiters.get(streamId) === waiting) {
          this.waiters.delete(streamId);
        }
        resolve(seen);
      };
      check();
    });
  }

  private async recordedVersion(streamId: string): Promise<number> {
    const { rows } = await this.pool.query<{ version: number }>(this.sql.version, [
      this.projection.name,
      streamId,
    ]);

    return rows[0]?.version ?? 0;
  }

  private async handleBatch(payload: EachBatchPayload): Promise<void> {
    const { topic, partition, messages } = payload.batch;
    for (let start = 0; start < messages.length; start += this.options.transactionBatchSize) {
      const chunk = messages.slice(start, start + this.options.transactionBatchSize);
      if (
        !this.canContinue(payload) ||
        !(await this.processChunk(topic, partition, chunk, payload))
      ) {
        return;
      }
      const last = chunk[chunk.length - 1].offset;
      await payload.commitOffsetsIfNecessary({
        topics: [{ topic, partitions: [{ partition, offset: (BigInt(last) + 1n).toString() }] }],
      });
      payload.resolveOffset(last);
      await payload.heartbeat();
    }
  }

  /** Applies a chunk in one transaction; if anything fails, event by event. */
  private async processChunk(
    topic: string,
    partition: number,
    messages: KafkaMessage[],
    payload: EachBatchPayload,
  ): Promise<boolean> {
    const deliveries = messages.map((message) => toDelivery(topic, partition, message));
    if (deliveries.every((delivery) => delivery.event)) {
      try {
        this.afterCommit(await this.applyInTransaction(deliveries));

        return true;
      } catch (error) {
        if (error instanceof ProjectionFencedError) {
          return this.fence(error);
        }
        // Fall through: one event at a time finds the failing one and leaves the rest applied.
      }
    }
    for (const delivery of deliveries) {
      if (!(await this.processOne(delivery, payload))) {
        return false;
      }
    }

    return true;
  }

  private async processOne(delivery: Delivery, payload: EachBatchPayload): Promise<boolean> {
    if (!delivery.event) {
      return this.park(delivery, delivery.decodeError, 1, payload);
    }
    for (let attempt = 1; ; attempt++) {
      if (!this.canContinue(payload)) {
        return false;
      }
      try {
        this.afterCommit(await this.applyInTransaction([delivery]));

        return true;
      } catch (error) {
        if (error instanceof ProjectionFencedError) {
          return this.fence(error);
        }
        const retriable = isRetriableError(error);
        if (!retriable && attempt > this.options.maxRetries) {
          return this.park(delivery, error, attempt, payload);
        }
        const delay = this.backoff(attempt);
        this.logger.warn('projection failed to apply an event; retrying', {
          projection: this.projection.name,
          ...eventFields(delivery.event),
          attempt,
          retriable,
          retryInMs: delay,
          error: describeError(error),
        });
        await this.pause(delay, payload);
      }
    }
  }

  private applyInTransaction(deliveries: Delivery[]): Promise<Outcome[]> {
    const streamIds = deliveries.map((delivery) => (delivery.event as EventEnvelope).streamId);

    return this.inTransaction(streamIds, async (client, progress) => {
      const blockers = await this.blockersOf(client, progress.streamIds);
      const outcomes: Outcome[] = [];
      for (const delivery of deliveries) {
        outcomes.push(await this.applyOne(delivery, client, progress, blockers));
      }

      return outcomes;
    });
  }

  /**
   * One transaction of this generation with the progress rows of `streamIds` locked: `work`
   * runs in it, then the progress it recorded is saved and the transaction commits.
   */
  private async inTransaction<T>(
    streamIds: string[],
    work: (client: PoolClient, progress: ProgressInTransaction) => Promise<T>,
  ): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await this.assertGeneration(client);
      const progress = await ProgressInTransaction.lock(
        client,
        this.sql,
        this.projection.name,
        streamIds,
      );
      const result = await work(client, progress);
      await progress.save();
      await client.query('COMMIT');

      return result;
    } catch (error) {
      broken = isConnectionError(error);
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * Fails the transaction when a rebuild has moved the projection to another generation: the
   * row lock (shared) makes a rebuild's bump wait for this transaction, or this one see it.
   */
  private async assertGeneration(client: PoolClient): Promise<void> {
    const { rows } = await client.query<{ generation: number }>(this.sql.generation, [
      this.projection.name,
    ]);
    const current = rows[0]?.generation ?? 0;
    if (current !== this.options.generation) {
      throw new ProjectionFencedError(this.projection.name, this.options.generation, current);
    }
  }

  /** Stops consuming for good: another generation owns the read model now. */
  private fence(error: ProjectionFencedError): boolean {
    if (!this.fenced) {
      this.fenced = true;
      this.logger.warn('projection runner fenced off by a newer generation', {
        projection: this.projection.name,
        groupId: this.options.groupId,
        generation: error.runnerGeneration,
        currentGeneration: error.currentGeneration,
      });
      // Not awaited here: disconnecting waits for the batch this is called from to return.
      setImmediate(() => {
        this.stop().catch(() => undefined);
      });
    }

    return false;
  }

  /** The first parked event of each of the streams; call with their progress rows locked. */
  private async blockersOf(client: PoolClient, streamIds: string[]): Promise<Blockers> {
    const { rows } = await client.query<{ stream_id: string; event_id: string }>(
      this.parkedSql.blockers,
      [this.projection.name, this.options.generation, streamIds],
    );

    return new Map(rows.map((row) => [row.stream_id, row.event_id]));
  }

  /**
   * Applies the event unless the projection has it already, or an earlier event of its stream
   * is parked: then it is parked too (in this transaction), since applying it over the hole
   * would leave the parked one below the recorded version, never to apply.
   */
  private async applyOne(
    delivery: Delivery,
    client: PoolClient,
    progress: ProgressInTransaction,
    blockers: Blockers,
  ): Promise<Outcome> {
    const event = delivery.event as EventEnvelope;
    const previous = progress.versionOf(event.streamId);
    if (event.streamVersion <= previous) {
      return { event, result: 'skipped', previous };
    }
    const blocker = blockers.get(event.streamId);
    if (blocker !== undefined) {
      const parked = await recordParkedEvent(client, this.parkedSql, {
        ...this.parkedIdentity(delivery),
        reason: 'waiting-behind-parked-event',
        blockedBy: blocker,
        errorCode: null,
        errorMessage: null,
        attempts: 0,
      });

      // Not parked again: the event is the blocker itself, or already waits (a redelivery).
      return { event, result: parked ? 'parked' : 'skipped', previous };
    }

    return this.applyEvent(delivery, client, progress, previous);
  }

  private async applyEvent(
    delivery: Delivery,
    client: PoolClient,
    progress: ProgressInTransaction,
    previous: number,
  ): Promise<Outcome> {
    const event = delivery.event as EventEnvelope;
    await withExtractedContext(delivery.traceparent, () => this.projection.apply(event, client), {
      spanName: SpanNames.projectionApply,
      attributes: {
        [SpanAttributes.projection]: this.projection.name,
        [SpanAttributes.eventId]: event.id,
        [SpanAttributes.eventType]: event.type,
        [SpanAttributes.streamId]: event.streamId,
        [SpanAttributes.streamVersion]: event.streamVersion,
      },
    });
    progress.markApplied(event.streamId, event.streamVersion);

    return { event, result: 'applied', previous };
  }

  private afterCommit(outcomes: Outcome[]): void {
    for (const { event, result, previous } of outcomes) {
      if (result === 'skipped') {
        this.stats.skipped += 1;
        this.options.metrics?.skipped(this.projection.name);
        continue;
      }
      if (result === 'parked') {
        this.stats.parkedBehind += 1;
        this.options.metrics?.parked(this.projection.name, 'waiting-behind-parked-event');
        this.logger.warn('projection parked an event behind a parked event of its stream', {
          projection: this.projection.name,
          ...eventFields(event),
        });
        continue;
      }
      this.stats.applied += 1;
      this.options.metrics?.applied(this.projection.name);
      if (event.streamVersion > previous + 1) {
        this.stats.gaps += 1;
        // Loud: events of this stream never reached the projection; its rows may be wrong.
        this.logger.error('stream version gap', {
          projection: this.projection.name,
          ...eventFields(event),
          expectedVersion: previous + 1,
          receivedVersion: event.streamVersion,
        });
      }
      this.notifyWaiters(event.streamId, event.streamVersion);
    }
  }

  private notifyWaiters(streamId: string, version: number): void {
    for (const waiter of this.waiters.get(streamId) ?? []) {
      if (waiter.version <= version) {
        waiter.resolve(true);
      }
    }
  }

  /**
   * Parks a failed event: first on the dead-letter topic (retrying the send until it is
   * acknowledged), then in the `parked_events` table, and only then may the offset be committed.
   * In that order a row in the table means the topic has the event too; a crash in between
   * redelivers it, to fail and be sent again (the topic may hold it twice, the table once).
   */
  private async park(
    delivery: Delivery,
    error: unknown,
    attempts: number,
    payload: EachBatchPayload,
  ): Promise<boolean> {
    const { topic, partition, message } = delivery;
    const deadLetterTopic = this.options.deadLetterTopic ?? deadLetterTopicFor(topic);
    const headers = deadLetterHeaders(message, {
      error,
      projection: this.projection.name,
      topic,
      partition,
      attempts,
      failedAt: new Date(),
    });
    const sent = await this.untilDone(
      payload,
      'projection failed to park an event; retrying',
      () =>
        this.producer === null
          ? Promise.reject(new Error('producer stopped'))
          : this.producer.send({
              topic: deadLetterTopic,
              acks: -1,
              messages: [{ key: message.key, value: message.value, headers }],
            }),
    );
    if (!sent.done) {
      return false;
    }
    const reason: ParkReason = delivery.event ? 'failed' : 'undecodable';
    const recorded = await this.untilDone(
      payload,
      'projection failed to record a parked event',
      () => this.recordFailure(delivery, reason, error, attempts),
    );
    if (!recorded.done) {
      return false;
    }
    if (recorded.value !== null) {
      return this.fence(recorded.value);
    }
    this.stats.deadLettered += 1;
    this.options.metrics?.parked(this.projection.name, reason);
    this.logger.error('projection parked an event', {
      projection: this.projection.name,
      ...(delivery.event ? eventFields(delivery.event) : {}),
      topic,
      partition,
      offset: message.offset,
      deadLetterTopic,
      reason,
      errorCode: errorCode(error),
      attempts,
    });

    return true;
  }

  /**
   * Records a failed event in the table, under its stream's lock and the generation's; answers
   * the fencing error instead when a rebuild has moved the projection on.
   */
  private async recordFailure(
    delivery: Delivery,
    reason: ParkReason,
    error: unknown,
    attempts: number,
  ): Promise<ProjectionFencedError | null> {
    const client = await this.pool.connect();
    let broken = false;
    try {
      await client.query('BEGIN');
      await this.assertGeneration(client);
      if (delivery.event) {
        await ProgressInTransaction.lock(client, this.sql, this.projection.name, [
          delivery.event.streamId,
        ]);
      }
      await recordParkedEvent(client, this.parkedSql, {
        ...this.parkedIdentity(delivery),
        reason,
        blockedBy: null,
        errorCode: errorCode(error),
        errorMessage: describeError(error).slice(0, MAX_ERROR_MESSAGE_LENGTH),
        attempts,
      });
      await client.query('COMMIT');

      return null;
    } catch (recordError) {
      broken = isConnectionError(recordError);
      await client.query('ROLLBACK').catch(() => (broken = true));
      if (recordError instanceof ProjectionFencedError) {
        return recordError;
      }
      throw recordError;
    } finally {
      client.release(broken);
    }
  }

  private parkedIdentity(delivery: Delivery) {
    const { event, topic, partition, message } = delivery;

    return {
      projection: this.projection.name,
      generation: this.options.generation,
      eventId: event?.id ?? `${topic}/${partition}/${message.offset}`,
      streamId: event?.streamId ?? null,
      streamVersion: event?.streamVersion ?? null,
      eventType: event?.type ?? headerText(message.headers, EventHeaders.type) ?? null,
      topic,
      partition,
      message,
    };
  }

  /** Runs `work` until it succeeds, with backoff; not done if the runner must stop meanwhile. */
  private async untilDone<T>(
    payload: EachBatchPayload,
    failure: string,
    work: () => Promise<T>,
  ): Promise<{ done: true; value: T } | { done: false }> {
    for (let attempt = 1; ; attempt++) {
      if (!this.canContinue(payload)) {
        return { done: false };
      }
      try {
        return { done: true, value: await work() };
      } catch (error) {
        const delay = this.backoff(attempt);
        this.logger.warn(failure, {
          projection: this.projection.name,
          attempt,
          retryInMs: delay,
          error: describeError(error),
        });
        await this.pause(delay, payload);
      }
    }
  }

  /**
   * An operator's retry after a fix: applies the parked event and the events of its stream
   * parked behind it, in version order, through the same apply path as consumed events, in one
   * transaction that also marks them resolved. It takes the stream's progress row first (as the
   * consumer does), so a concurrent retry waits and then finds them resolved, and the consumer
   * either parks a newer event behind them before, or applies it after. A failure rolls back
   * and leaves them parked, with the error noted.
   */
  async retryParked(eventId: string): Promise<ParkedEventRetry> {
    const { rows } = await this.pool.query<StoredParkedRow>(this.parkedSql.one, [
      this.projection.name,
      eventId,
    ]);
    const found = rows[0];
    if (found === undefined || found.generation !== this.options.generation) {
      throw notFound(ParkedEventErrorCodes.notFound, 'Parked event', eventId);
    }
    if (!this.isRunning) {
      // A reactor is stopped while its service rebuilds a read model it may read: applying now
      // would act on a half built table, as the consumer itself must not.
      throw conflict(
        ParkedEventErrorCodes.notRunning,
        'The projection is not consuming now (paused during a rebuild, starting or stopped): ' +
          'retry later',
        { eventId, projection: this.projection.name },
      );
    }
    try {
      const streamIds = found.stream_id === null ? [] : [found.stream_id];
      const outcomes = await this.inTransaction(streamIds, async (client, progress) => {
        const parked = await this.parkedInOrder(client, found);
        const applied: Outcome[] = [];
        for (const stored of parked.map(toStoredParkedEvent)) {
          const delivery = toDelivery(found.topic, -1, stored.message);
          if (!delivery.event) {
            throw delivery.decodeError;
          }
          const previous = progress.versionOf(delivery.event.streamId);
          applied.push(
            delivery.event.streamVersion <= previous
              ? { event: delivery.event, result: 'skipped', previous }
              : await this.applyEvent(delivery, client, progress, previous),
          );
        }
        const ids = parked.map((row) => row.event_id);
        await client.query(this.parkedSql.resolve, [this.projection.name, ids]);

        return applied;
      });
      this.afterCommit(outcomes.filter(({ result }) => result === 'applied'));
      const retry = {
        projection: this.projection.name,
        eventId,
        streamId: found.stream_id,
        applied: outcomes.filter(({ result }) => result === 'applied').map(({ event }) => event.id),
        skipped: outcomes.filter(({ result }) => result === 'skipped').map(({ event }) => event.id),
      };
      this.logger.log('parked events retried', { ...retry, outcome: 'ok' });

      return retry;
    } catch (error) {
      throw await this.retryFailed(eventId, error);
    }
  }

  /** The stream's parked events, locked, oldest first; the one asked for must come first. */
  private async parkedInOrder(
    client: PoolClient,
    found: StoredParkedRow,
  ): Promise<StoredParkedRow[]> {
    if (found.stream_id === null) {
      const { rows } = await client.query<{ status: string }>(this.parkedSql.lockOne, [
        this.projection.name,
        found.event_id,
      ]);
      if (rows[0]?.status !== 'parked') {
        throw alreadyResolved(found.event_id);
      }

      return [found];
    }
    const { rows } = await client.query<StoredParkedRow>(this.parkedSql.ofStream, [
      this.projection.name,
      this.options.generation,
      found.stream_id,
    ]);
    if (!rows.some((row) => row.event_id === found.event_id)) {
      throw alreadyResolved(found.event_id);
    }
    if (rows[0].event_id !== found.event_id) {
      throw conflict(
        ParkedEventErrorCodes.waitingBehind,
        'The event waits behind an earlier parked event of its stream: retry that one',
        { eventId: found.event_id, blockedBy: rows[0].event_id },
      );
    }

    return rows;
  }

  /** Notes a failed retry on the row and turns the error into the operator's answer. */
  private async retryFailed(eventId: string, error: unknown): Promise<unknown> {
    if (error instanceof RelateError && error.code.startsWith('PARKED_EVENTS.')) {
      return error;
    }
    if (error instanceof ProjectionFencedError) {
      return notFound(ParkedEventErrorCodes.notFound, 'Parked event', eventId);
    }
    const message = describeError(error).slice(0, MAX_ERROR_MESSAGE_LENGTH);
    await this.pool
      .query(this.parkedSql.retryFailed, [this.projection.name, eventId, message])
      .catch(() => undefined);
    this.logger.warn('parked event retry failed', {
      projection: this.projection.name,
      eventId,
      outcome: 'failed',
      errorCode: errorCode(error),
    });

    return new RelateError(
      ParkedEventErrorCodes.retryFailed,
      'illegal_state',
      'The parked event failed again; it stays parked',
      {
        cause: error,
        details: {
          projection: this.projection.name,
          eventId,
          errorCode: errorCode(error),
          errorMessage: message,
        },
      },
    );
  }

  private canContinue(payload: EachBatchPayload): boolean {
    return this.running && !this.fenced && payload.isRunning() && !payload.isStale();
  }

  private backoff(attempt: number): number {
    return backoffDelay(attempt, this.options.retryBackoffMs, this.options.maxRetryBackoffMs);
  }

  /** Waits between retries, heartbeating so a long backoff does not cost the partition. */
  private async pause(ms: number, payload: EachBatchPayload): Promise<void> {
    const until = Date.now() + ms;
    while (this.running && Date.now() < until) {
      const step = Math.min(until - Date.now(), HEARTBEAT_EVERY_MS);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise((resolve) => (timer = setTimeout(resolve, step))),
        this.stopSignal,
      ]);
      clearTimeout(timer);
      await payload.heartbeat().catch(() => undefined);
    }
  }
}

/** A runner of an older generation tried to apply events after a rebuild moved on. */
export class ProjectionFencedError extends Error {
  constructor(
    readonly projection: string,
    readonly runnerGeneration: number,
    readonly currentGeneration: number,
  ) {
    super('Projection runner fenced off by a newer generation');
    this.name = ProjectionFencedError.name;
  }
}

function toDelivery(topic: string, partition: number, message: KafkaMessage): Delivery {
  try {
    const event = decodeEventMessage(message);
    const traceparent = headerText(message.headers, EventHeaders.traceparent) ?? event.traceparent;

    return {
      topic,
      partition,
      message,
      event,
      decodeError: null,
      traceparent: traceparent ?? null,
    };
  } catch (error) {
    return { topic, partition, message, event: null, decodeError: error, traceparent: null };
  }
}

function alreadyResolved(eventId: string): RelateError {
  return conflict(ParkedEventErrorCodes.alreadyResolved, 'The parked event was already retried', {
    eventId,
  });
}

function eventFields(event: EventEnvelope) {
  return {
    eventId: event.id,
    eventType: event.type,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
  };
}
