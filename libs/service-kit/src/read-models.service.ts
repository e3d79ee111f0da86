import { Logger } from '@nestjs/common';
import { Pool } from 'pg';

import { contextOfStream } from '@relate/contracts';
import { RelateError } from '@relate/errors';
import { decodeConsistencyToken } from '@relate/event-store';
import { KafkaSettings, Projection, ProjectionRunner } from '@relate/messaging';

import { ResolvedTopics } from './service-settings';

/** How long a read waits for a read model to catch up with a consistency token. */
export const CONSISTENCY_WAIT_MS = 5_000;

/** A crashed instance's session expires after this; only then can its restart join. */
export const PROJECTION_SESSION_TIMEOUT_MS = 10_000;

export interface ReadModelsOptions {
  schema: string;
  /** The topic of each owning context, as this deployment names them. */
  topics: ResolvedTopics;
  /** Consumer groups are `<prefix>.<schema>.<projection>`; default prefix `relate`. */
  groupPrefix: string;
}

/** The view a read of one resource found, or else that resource's not-found error. */
export function orNotFound<T>(view: T | undefined, notFound: () => RelateError): T {
  if (view === undefined) {
    throw notFound();
  }

  return view;
}

type ProjectionClass = abstract new (...args: never[]) => Projection;

/**
 * The service's projections, each run by its own ProjectionRunner (one consumer group per read
 * model, so that each can be dropped and rebuilt alone), and the read-your-writes wait.
 * Reactors (rule engines, task requests, reminder timers) run the same way, but they cause
 * effects outside their tables, so they are not read models and never replayed.
 */
export class ReadModels {
  private readonly logger = new Logger(ReadModels.name);
  private readonly runners: Array<{
    projection: Projection;
    runner: ProjectionRunner;
    /** False for a reactor: it acts on the world, so a rebuild must never run it again. */
    replayable: boolean;
  }>;
  private joining: Promise<void> = Promise.resolve();

  constructor(
    pool: Pool,
    kafka: KafkaSettings,
    projections: Projection[],
    private readonly options: ReadModelsOptions,
    reactors: Projection[] = [],
  ) {
    const consumers = [
      ...projections.map((projection) => ({ projection, replayable: true })),
      ...reactors.map((projection) => ({ projection, replayable: false })),
    ];
    this.runners = consumers.map(({ projection, replayable }) => ({
      projection,
      replayable,
      runner: new ProjectionRunner(pool, kafka, projection, {
        schema: options.schema,
        fromBeginning: true,
        groupId: `${options.groupPrefix}.${options.schema}.${projection.name}`,
        sessionTimeoutMs: PROJECTION_SESSION_TIMEOUT_MS,
      }),
    }));
  }

  /**
   * Creates the read models' tables, then lets the runners join their consumer groups in the
   * background: after a crash the join waits for the dead member's session to expire, and the
   * service must answer (reads possibly stale, writes at once) in the meantime.
   */
  async start(): Promise<void> {
    // Runners share the progress table: create tables one runner at a time, since concurrent
    // CREATE TABLE IF NOT EXISTS of one table can still collide in PostgreSQL's catalog.
    for (const { runner } of this.runners) {
      await runner.migrate();
    }
    const names = this.runners.map(({ projection }) => projection.name);
    this.joining = Promise.all(this.runners.map(({ runner }) => runner.start())).then(
      () => this.logger.log('projections joined their consumer groups', { projections: names }),
      (error: unknown) =>
        this.logger.error('projections failed to start', {
          projections: names,
          error: error instanceof Error ? error.message : String(error),
        }),
    );
    this.logger.log('projections starting', { projections: names });
  }

  async stop(): Promise<void> {
    const stopAll = () => Promise.all(this.runners.map(({ runner }) => runner.stop()));
    // A runner still joining is stopped once its start settles, so that none is left behind.
    await stopAll();
    await this.joining;
    await stopAll();
    this.logger.log('projections stopped', { count: this.runners.length });
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
    const waits = this.runners
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
