import { randomUUID } from 'node:crypto';

import { Logger } from '@nestjs/common';
import { Pool } from 'pg';

import { contextOfStream } from '@relate/contracts';
import { notFound, RelateError, validationError } from '@relate/errors';
import { decodeConsistencyToken } from '@relate/event-store';
import {
  hasPassed,
  KafkaSettings,
  lagOf,
  ParkedEvent,
  ParkedEventErrorCodes,
  ParkedEventRetry,
  ParkedEvents,
  ParkedStatus,
  PartitionOffset,
  Projection,
  ProjectionGeneration,
  ProjectionGenerations,
  ProjectionMetrics,
  ProjectionOffsets,
  ProjectionRunner,
} from '@relate/messaging';
import { GaugeMetric, MetricsRegistry } from '@relate/observability';

import { Paging } from './paging';

import { ResolvedTopics } from './service-settings';

/** How long a read waits for a read model to catch up with a consistency token. */
export const CONSISTENCY_WAIT_MS = 5_000;

/** A crashed instance's session expires after this; only then can its restart join. */
export const PROJECTION_SESSION_TIMEOUT_MS = 10_000;

/** How often a rebuilding read model's group is checked against the rebuild's targets. */
export const REBUILD_CHECK_MS = 500;

export interface ReadModelsOptions {
  schema: string;
  /** The topic of each owning context, as this deployment names them. */
  topics: ResolvedTopics;
  /**
   * Consumer groups are `<prefix>.<schema>.<projection>` (generation 0, as before rebuilds
   * existed, so deployments keep their offsets), then `<prefix>.<schema>.<projection>.g<N>`.
   */
  groupPrefix: string;
  /** How often a rebuild checks whether it is done; default {@link REBUILD_CHECK_MS}. */
  rebuildCheckMs?: number;
  /** The service's metrics: events applied, skipped and parked, parked events waiting. */
  metrics?: MetricsRegistry;
}

export interface ParkedEventQuery {
  projection?: string;
  status?: ParkedStatus;
  paging: Paging;
}

/** A projection's or reactor's state, as `GET /ops/read-models` shows it. */
export interface ReadModelStatus {
  name: string;
  kind: 'projection' | 'reactor';
  tables: string[];
  group: string;
  generation: number;
  /** `rebuilding` until the new group has passed the ends of the topics as they were. */
  status: 'live' | 'rebuilding';
  /** Whether its runner is consuming in this instance. */
  running: boolean;
  /** A reactor waits while a read model of its service rebuilds: it may read that model. */
  paused: boolean;
  /** Events applied to the current generation (the sum of its streams' versions). */
  appliedEvents: number;
  /** Records its group has still to read; null when Kafka did not answer. */
  lag: number | null;
  /** Events it parked that wait for an operator (`GET /ops/parked-events`). */
  parkedEvents: number;
  rebuild: RebuildStatus | null;
  /** Why the last rebuild's runner failed to start in this instance, if it did. */
  error: string | null;
}

export interface RebuildStatus {
  id: string | null;
  startedAt: string | null;
  finishedAt: string | null;
  /** Until now while rebuilding. */
  durationMs: number | null;
  /** The ends of the topics when the rebuild began: done once the group has committed them. */
  targetOffsets: PartitionOffset[];
  targetEvents: number;
}

export interface RebuildStarted {
  rebuildId: string;
  projections: string[];
}

/** The view a read of one resource found, or else that resource's not-found error. */
export function orNotFound<T>(view: T | undefined, notFound: () => RelateError): T {
  if (view === undefined) {
    throw notFound();
  }

  return view;
}

type ProjectionClass = abstract new (...args: never[]) => Projection;

interface Slot {
  projection: Projection;
  /** False for a reactor: it acts on the world, so a rebuild must never run it again. */
  replayable: boolean;
  runner: ProjectionRunner;
  error: string | null;
}

/**
 * The service's projections, each run by its own ProjectionRunner (one consumer group per read
 * model, so that each can be dropped and rebuilt alone), the read-your-writes wait, and
 * rebuilds. Reactors (rule engines, task requests, reminder timers) run the same way, but they
 * cause effects outside their tables, so they are not read models and never replayed.
 *
 * A rebuild stops the projection's runner, moves it to the next generation in the transaction
 * that drops and recreates its tables (ProjectionGenerations), and starts a runner with a new
 * consumer group from the beginning of the topics; the read model is `rebuilding` until that
 * group has committed the ends the topics had when the rebuild began. A restart during a
 * rebuild resumes the new group where it committed (its progress rows match), so a read model
 * is never marked live half built.
 *
 * TODO(#3): one instance per service. Another instance's runners of the old generation are
 * fenced off (they apply nothing more) but do not follow the new generation until restarted,
 * and the old group, still having members, is then left behind (logged).
 */
export class ReadModels {
  private readonly logger = new Logger(ReadModels.name);
  private readonly slots: Slot[];
  private readonly generations: ProjectionGenerations;
  private readonly offsets: ProjectionOffsets;
  private readonly parked: ParkedEvents;
  private readonly projectionMetrics: ProjectionMetrics | undefined;
  /** Rebuilds in progress, by projection name. */
  private readonly rebuilding = new Map<string, ProjectionGeneration>();
  private readonly starting = new Set<Promise<void>>();
  private joining: Promise<void> = Promise.resolve();
  private rebuilds: Promise<unknown> = Promise.resolve();
  private checker: NodeJS.Timeout | null = null;
  private checking = false;
  private stopped = false;
  private reactorsPaused = false;
  /** Rebuild calls between pausing the reactors and having begun every rebuild they asked. */
  private rebuildCalls = 0;

  constructor(
    private readonly pool: Pool,
    private readonly kafka: KafkaSettings,
    projections: Projection[],
    private readonly options: ReadModelsOptions,
    reactors: Projection[] = [],
  ) {
    const consumers = [
      ...projections.map((projection) => ({ projection, replayable: true })),
      ...reactors.map((projection) => ({ projection, replayable: false })),
    ];
    this.projectionMetrics =
      options.metrics === undefined ? undefined : new ProjectionMetrics(options.metrics);
    this.parked = new ParkedEvents(pool, options.schema);
    this.slots = consumers.map(({ projection, replayable }) => ({
      projection,
      replayable,
      runner: this.runnerFor(projection, 0),
      error: null,
    }));
    this.generations = new ProjectionGenerations(pool, options.schema);
    this.offsets = new ProjectionOffsets({ ...kafka, clientId: `${kafka.clientId}-read-models` });
    if (options.metrics !== undefined) {
      const waiting = options.metrics.gauge(
        'relate_parked_events_waiting',
        'Events a projection or reactor has parked and an operator has not yet retried.',
      );
      options.metrics.beforeCollect(() => this.refreshParkedGauge(waiting));
    }
  }

  /** Parked events, newest last; identity and error only, never the event's data. */
  async parkedEvents(query: ParkedEventQuery): Promise<{ items: ParkedEvent[]; total: number }> {
    const { projection, status, paging } = query;

    return this.parked.list({ projection, status, limit: paging.limit, offset: paging.offset });
  }

  /**
   * Retries a parked event (and the events of its stream parked behind it) through its
   * projection's runner. Without `projection`, the one projection that has it parked.
   */
  async retryParked(eventId: string, projection?: string): Promise<ParkedEventRetry> {
    if (projection !== undefined) {
      const slot = this.slots.find((candidate) => candidate.projection.name === projection);
      if (slot === undefined) {
        throw validationError(ParkedEventErrorCodes.invalidRetry, [
          { field: 'projection', reason: `unknown projection ${projection}` },
        ]);
      }

      return slot.runner.retryParked(eventId);
    }
    const parkedBy = await this.parked.projectionsOf(eventId);
    const stillParked = parkedBy.filter(({ status }) => status === 'parked');
    if (stillParked.length > 1) {
      throw validationError(ParkedEventErrorCodes.invalidRetry, [
        {
          field: 'projection',
          reason: `name one of ${stillParked.map((row) => row.projection).join(', ')}`,
        },
      ]);
    }
    const chosen = stillParked[0] ?? parkedBy[0];
    const slot = this.slots.find((candidate) => candidate.projection.name === chosen?.projection);
    if (slot === undefined) {
      throw notFound(ParkedEventErrorCodes.notFound, 'Parked event', eventId);
    }

    return slot.runner.retryParked(eventId);
  }

  private async refreshParkedGauge(gauge: GaugeMetric): Promise<void> {
    const waiting = await this.parked.waiting();
    for (const { projection } of this.slots) {
      gauge.set(waiting.get(projection.name) ?? 0, { projection: projection.name });
    }
  }

  /** The consumer group of a projection's generation. */
  groupIdOf(projection: string, generation: number): string {
    const base = `${this.options.groupPrefix}.${this.options.schema}.${projection}`;

    return generation === 0 ? base : `${base}.g${generation}`;
  }

  /**
   * Creates the read models' tables, then lets the runners join their consumer groups in the
   * background: after a crash the join waits for the dead member's session to expire, and the
   * service must answer (reads possibly stale, writes at once) in the meantime. A projection a
   * rebuild had moved to a later generation runs that generation's group; an unfinished
   * rebuild goes on.
   */
  async start(): Promise<void> {
    // Runners share the progress table: create tables one runner at a time, since concurrent
    // CREATE TABLE IF NOT EXISTS of one table can still collide in PostgreSQL's catalog.
    for (const { runner } of this.slots) {
      await runner.migrate();
    }
    const recorded = await this.generations.all();
    for (const slot of this.slots) {
      const generation = recorded.get(slot.projection.name);
      if (generation !== undefined && generation.generation !== 0) {
        slot.runner = this.runnerFor(slot.projection, generation.generation);
      }
      if (generation?.status === 'rebuilding') {
        this.rebuilding.set(slot.projection.name, generation);
        this.logger.log('read model rebuild resumed', {
          projection: slot.projection.name,
          generation: generation.generation,
          rebuildId: generation.rebuildId,
        });
      }
    }
    const names = this.slots.map(({ projection }) => projection.name);
    this.reactorsPaused = this.rebuilding.size > 0;
    const starting = this.reactorsPaused ? this.slots.filter((s) => s.replayable) : this.slots;
    this.joining = Promise.all(
      starting.map((slot) => {
        const resumed = this.rebuilding.get(slot.projection.name);
        // A crash may have come between the rebuild's transaction and removing the old group.
        const previous =
          resumed === undefined
            ? undefined
            : this.groupIdOf(resumed.projection, resumed.generation - 1);

        return this.startRunner(slot, previous);
      }),
    ).then(() =>
      this.logger.log('projections joined their consumer groups', { projections: names }),
    );
    this.checker = setInterval(
      () => void this.checkRebuilds(),
      this.options.rebuildCheckMs ?? REBUILD_CHECK_MS,
    );
    this.checker.unref();
    this.logger.log('projections starting', { projections: names });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.checker) {
      clearInterval(this.checker);
      this.checker = null;
    }
    await this.rebuilds.catch(() => undefined);
    const stopAll = () => Promise.all(this.slots.map(({ runner }) => runner.stop()));
    // A runner still joining is stopped once its start settles, so that none is left behind.
    await stopAll();
    await this.joining;
    await Promise.all(this.starting);
    await stopAll();
    await this.offsets.close().catch(() => undefined);
    this.logger.log('projections stopped', { count: this.slots.length });
  }

  /**
   * Starts rebuilding the given projections (default: every replayable one) and answers once
   * each has been dropped and its new generation's runner is joining; {@link status} follows
   * them. Reactors are refused, and paused until every rebuild of the service is done.
   */
  async rebuild(names?: string[]): Promise<RebuildStarted> {
    const slots = this.selectForRebuild(names);
    const rebuildId = randomUUID();
    const run = this.rebuilds
      .catch(() => undefined)
      .then(async () => {
        await this.joining;
        this.rebuildCalls += 1;
        await this.pauseReactors();
        try {
          for (const slot of slots) {
            await this.rebuildOne(slot, rebuildId);
          }
        } finally {
          this.rebuildCalls -= 1;
          this.resumeReactorsWhenRebuilt();
        }
      });
    this.rebuilds = run;
    await run;
    const projections = slots.map(({ projection }) => projection.name);
    this.logger.log('read model rebuild started', { rebuildId, projections });

    return { rebuildId, projections };
  }

  /**
   * Whether a read model (the named one, or any of the service's) is being rebuilt here: its
   * tables are partial meanwhile. Loops outside the runners that read read models (a delivery
   * poller) should wait while this is true, as the reactors do.
   */
  isRebuilding(projection?: string): boolean {
    return projection === undefined ? this.rebuilding.size > 0 : this.rebuilding.has(projection);
  }

  /** Every projection and reactor: group, generation, rebuild progress, events, lag. */
  async status(): Promise<ReadModelStatus[]> {
    const recorded = await this.generations.all();
    const applied = await this.appliedEvents();
    const parked = await this.parked.waiting();
    const topics = [...new Set(this.slots.flatMap(({ projection }) => projection.topics))];
    const ends = await this.offsets.endOffsets(topics).catch(() => null);

    return Promise.all(
      this.slots.map(async (slot) => {
        const { projection, runner } = slot;
        const generation = recorded.get(projection.name);
        const committed =
          ends === null
            ? null
            : await this.offsets
                .committedOffsets(runner.groupId, projection.topics)
                .catch(() => null);
        const ownEnds = (ends ?? []).filter(({ topic }) => projection.topics.includes(topic));

        return {
          name: projection.name,
          kind: slot.replayable ? 'projection' : 'reactor',
          tables: projection.tables ?? [],
          group: runner.groupId,
          generation: runner.generation,
          status: generation?.status ?? 'live',
          running: runner.isRunning,
          paused: !slot.replayable && this.reactorsPaused,
          appliedEvents: applied.get(projection.name) ?? 0,
          lag: committed === null ? null : lagOf(ownEnds, committed),
          parkedEvents: parked.get(projection.name) ?? 0,
          rebuild: generation === undefined ? null : rebuildStatus(generation),
          error: slot.error,
        } satisfies ReadModelStatus;
      }),
    );
  }

  private selectForRebuild(names: string[] | undefined): Slot[] {
    if (names === undefined) {
      return this.slots.filter(({ replayable }) => replayable);
    }
    const violations = names.flatMap((name, index) => {
      const slot = this.slots.find(({ projection }) => projection.name === name);
      if (slot === undefined) {
        return [{ field: `projections[${index}]`, reason: `unknown projection ${name}` }];
      }

      return slot.replayable
        ? []
        : [{ field: `projections[${index}]`, reason: `${name} is a reactor: never rebuilt` }];
    });
    if (violations.length > 0) {
      throw validationError('READ_MODELS.INVALID_REBUILD', violations);
    }
    const slots = this.slots.filter(({ projection }) => names.includes(projection.name));
    for (const { projection } of slots) {
      this.generations.tablesOf(projection);
    }

    return slots;
  }

  /**
   * Stops the reactors until every rebuild of the service is done. A reactor may read the
   * service's read models (the rule engine reads the rules): on a half rebuilt one it would miss
   * or wrongly take actions. Stopped, it resumes later from its committed offsets.
   */
  private async pauseReactors(): Promise<void> {
    if (this.reactorsPaused) {
      return;
    }
    this.reactorsPaused = true;
    const reactors = this.slots.filter(({ replayable }) => !replayable);
    // A reactor resumed after an earlier rebuild may still be joining: stop it once joined.
    await Promise.all(this.starting);
    await Promise.all(reactors.map(({ runner }) => runner.stop()));
    if (reactors.length > 0) {
      this.logger.log('reactors paused during a rebuild', {
        reactors: reactors.map(({ projection }) => projection.name),
      });
    }
  }

  private resumeReactorsWhenRebuilt(): void {
    const busy = this.rebuilding.size > 0 || this.rebuildCalls > 0;
    if (!this.reactorsPaused || busy || this.stopped) {
      return;
    }
    this.reactorsPaused = false;
    const reactors = this.slots.filter(({ replayable }) => !replayable);
    for (const slot of reactors) {
      void this.startRunner(slot);
    }
    if (reactors.length > 0) {
      this.logger.log('reactors resumed', {
        reactors: reactors.map(({ projection }) => projection.name),
      });
    }
  }

  private async rebuildOne(slot: Slot, rebuildId: string): Promise<void> {
    const { projection } = slot;
    await slot.runner.stop();
    let generation: ProjectionGeneration;
    try {
      const targets = await this.offsets.endOffsets(projection.topics);
      generation = await this.generations.beginRebuild(projection, rebuildId, targets);
    } catch (error) {
      // Nothing changed: the old generation goes on as before.
      await this.startRunner(slot);
      throw error;
    }
    const previousGroup = slot.runner.groupId;
    slot.runner = this.runnerFor(projection, generation.generation);
    slot.error = null;
    this.rebuilding.set(projection.name, generation);
    this.logger.log('read model dropped; rebuilding', {
      projection: projection.name,
      rebuildId,
      generation: generation.generation,
      groupId: slot.runner.groupId,
    });
    void this.startRunner(slot, previousGroup);
  }

  /** Starts the slot's runner in the background; then removes the group it replaced, if any. */
  private startRunner(slot: Slot, previousGroup?: string): Promise<void> {
    const runner = slot.runner;
    const started = runner
      .start()
      .then(async () => {
        if (previousGroup !== undefined && !this.stopped) {
          await this.offsets.deleteGroup(previousGroup).then(
            () => this.logger.log('old consumer group deleted', { groupId: previousGroup }),
            (error: unknown) =>
              this.logger.warn('old consumer group not deleted', {
                groupId: previousGroup,
                error: describe(error),
              }),
          );
        }
      })
      .catch((error: unknown) => {
        if (slot.runner === runner) {
          slot.error = describe(error);
        }
        this.logger.error('projection failed to start', {
          projection: slot.projection.name,
          groupId: runner.groupId,
          error: describe(error),
        });
      })
      .finally(() => this.starting.delete(started));
    this.starting.add(started);

    return started;
  }

  /** Marks live each rebuilding read model whose group has passed its targets. */
  private async checkRebuilds(): Promise<void> {
    if (this.checking || this.rebuilding.size === 0) {
      return;
    }
    this.checking = true;
    try {
      for (const [name, generation] of [...this.rebuilding]) {
        const slot = this.slots.find(({ projection }) => projection.name === name);
        if (slot === undefined || slot.runner.generation !== generation.generation) {
          continue;
        }
        const committed = await this.offsets.committedOffsets(
          slot.runner.groupId,
          slot.projection.topics,
        );
        if (!hasPassed(generation.targetOffsets, committed) || this.stopped) {
          continue;
        }
        await this.generations.finishRebuild(name, generation.generation);
        if (this.rebuilding.get(name) === generation) {
          this.rebuilding.delete(name);
        }
        this.resumeReactorsWhenRebuilt();
        this.logger.log('read model rebuilt', {
          projection: name,
          rebuildId: generation.rebuildId,
          generation: generation.generation,
          durationMs: Date.now() - (generation.startedAt?.getTime() ?? Date.now()),
        });
      }
    } catch (error) {
      this.logger.warn('rebuild progress check failed; retrying', { error: describe(error) });
    } finally {
      this.checking = false;
    }
  }

  private async appliedEvents(): Promise<Map<string, number>> {
    const { rows } = await this.pool.query<{ projection: string; applied: string }>(
      `SELECT projection, sum(version)::text AS applied
       FROM "${this.options.schema}".projection_stream_versions GROUP BY projection`,
    );

    return new Map(rows.map((row) => [row.projection, Number(row.applied)]));
  }

  private runnerFor(projection: Projection, generation: number): ProjectionRunner {
    return new ProjectionRunner(this.pool, this.kafka, projection, {
      schema: this.options.schema,
      fromBeginning: true,
      groupId: this.groupIdOf(projection.name, generation),
      generation,
      sessionTimeoutMs: PROJECTION_SESSION_TIMEOUT_MS,
      metrics: this.projectionMetrics,
    });
  }

  /**
   * Waits until the given read models have applied the write a consistency token names, or
   * {@link CONSISTENCY_WAIT_MS} passed; then the read answers what it has. Only read models that
   * consume the token's topic can see it, so the others are not waited for. A token of another
   * tenant's stream is ignored: how long it takes to answer must not tell whether it exists.
   */
  async waitFor(
    tenantId: string,
    token: string | undefined,
    readModels: ProjectionClass[],
  ): Promise<void> {
    if (token === undefined) {
      return;
    }
    const { streamId, version } = decodeConsistencyToken(token);
    const topic = this.topicOf(streamId, tenantId);
    const waits = this.slots
      .filter(({ projection }) => readModels.some((type) => projection instanceof type))
      .filter(({ projection }) => topic !== undefined && projection.topics.includes(topic))
      .map(({ runner }) => runner.waitFor(streamId, version, CONSISTENCY_WAIT_MS));
    const seen = await Promise.all(waits);
    if (seen.includes(false)) {
      this.logger.warn('read model behind consistency token', { streamId, version });
    }
  }

  /** The topic of a stream of the tenant; undefined for any other stream. */
  private topicOf(streamId: string, tenantId: string): string | undefined {
    const context = contextOfStream(streamId, tenantId);

    return context === undefined ? undefined : this.options.topics[context];
  }
}

function rebuildStatus(generation: ProjectionGeneration): RebuildStatus {
  const { startedAt, finishedAt } = generation;
  const end = finishedAt?.getTime() ?? Date.now();

  return {
    id: generation.rebuildId,
    startedAt: startedAt?.toISOString() ?? null,
    finishedAt: finishedAt?.toISOString() ?? null,
    durationMs: startedAt === null ? null : end - startedAt.getTime(),
    targetOffsets: generation.targetOffsets,
    targetEvents: generation.targetOffsets.reduce((sum, { offset }) => sum + Number(offset), 0),
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
