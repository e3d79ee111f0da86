import { randomBytes } from 'node:crypto';

import { Pool } from 'pg';

import { EventEnvelope } from '@relate/contracts';
import { OutboxRelay, PostgresEventStore } from '@relate/event-store';
import { EventPublisher, ProjectionOffsets, readTopic } from '@relate/messaging';
import { createTestDatabase, eventually } from '@relate/testing';

// The store's own test trigger: holds an append's transaction open, or rolls it back.
import * as delay from '../../../../libs/event-store/src/testing/commit-delay-trigger';
import {
  committedEvents,
  runConcurrentWriters,
  WriterLoad,
  WriterOutcome,
} from '../../../../libs/event-store/src/testing/concurrent-writers';
import { ChaosFigures } from '../chaos-figures';
import { ChaosScale, ChaosScenario } from '../chaos-scenario';
import { AuditedEvent, auditDelivery } from './delivery-audit';
import { standaloneServers } from '@relate/testing';
import { failOnProblems, problemsOf } from '../scenario-problems';

const SCHEMA = 'late_commits';
const TENANT = 'tenant-late-commits';

const LOADS: Record<ChaosScale, WriterLoad> = {
  short: {
    writers: 16,
    appendsPerWriter: 15,
    streams: 12,
    delayedShare: 0.25,
    maxDelayMs: 250,
    rolledBackShare: 0.1,
  },
  full: {
    writers: 32,
    appendsPerWriter: 80,
    streams: 40,
    delayedShare: 0.25,
    maxDelayMs: 400,
    rolledBackShare: 0.1,
  },
};

/**
 * Scenario 1: many writers append through the event store while some transactions stay open a
 * while (their positions are taken, their commits come late) and some roll back. The outbox
 * relay publishes to a fresh topic; the topic must hold exactly the committed events, once, in
 * version order per stream. In the same run a naive reader that follows the position column
 * (`position > last ORDER BY position`) skips the late commits: it must lose some, or the run
 * did not exercise late commits at all.
 */
export interface LateCommitsScenario extends ChaosScenario {
  run(scale: ChaosScale): Promise<LateCommitsFigures>;
}

export const lateCommitsScenario: LateCommitsScenario = {
  id: 1,
  name: 'late commits',
  run: async (scale) => {
    const figures = await runLateCommits(LOADS[scale]);

    return failOnProblems({
      ...figures,
      problems: problemsOf({
        'no rolled-back event reached the topic': figures.extra === 0,
        'every stream is in version order on the topic': figures.outOfOrder === 0,
        'every record is keyed and partitioned by its stream': figures.misplaced === 0,
        'some transactions rolled back': figures.rolledBack > 0,
        'the naive position reader lost events (late commits happened)': figures.naiveLost > 0,
      }),
    });
  },
};

/** The common figures, and what this scenario checks besides. */
export interface LateCommitsFigures extends ChaosFigures {
  /** Committed events the naive position reader never saw. */
  naiveLost: number;
  /** Records of events that never committed (rolled back). */
  extra: number;
  /** Records repeating an event already on the topic. */
  topicDuplicates: number;
  /** Records behind a later version of their stream, or ahead of a missing one. */
  outOfOrder: number;
  /** Records not keyed by their stream id, or on another partition than their stream's first. */
  misplaced: number;
  rolledBack: number;
}

async function runLateCommits(load: WriterLoad): Promise<LateCommitsFigures> {
  const servers = await standaloneServers('chaoslib');
  const cleanups: Array<() => Promise<unknown>> = [() => servers.stop()];
  try {
    const database = await createTestDatabase('chaos_late_commits');
    cleanups.push(() => database.drop());
    const pool = new Pool({ connectionString: database.url, max: load.writers + 8 });
    cleanups.push(() => pool.end());
    const store = new PostgresEventStore(pool, { schema: SCHEMA });
    await store.migrate();
    await delay.installCommitDelayTrigger(pool, SCHEMA);

    const topic = `chaos.late-commits.${randomBytes(4).toString('hex')}`;
    const kafka = servers.kafka('chaos-late-commits');
    const publisher = new EventPublisher(kafka);
    await publisher.connect();
    cleanups.push(() => publisher.disconnect());
    const relay = new OutboxRelay(pool, {
      schema: SCHEMA,
      topic,
      publisher,
      batchSize: 50,
      pollIntervalMs: 200,
    });
    await relay.start();
    cleanups.push(() => relay.stop());

    const naive = new NaivePositionReader(pool);
    const naiveRun = naive.run();
    let tally: WriterOutcome;
    try {
      tally = await runConcurrentWriters(store, load, TENANT);
    } finally {
      naive.stop();
      await naiveRun;
    }
    await relayCaughtUp(pool, 60_000);
    await naive.pass();

    const committed = await committedEvents(pool, SCHEMA);
    const delivered = await deliveredEvents(kafka, topic);
    const audit = auditDelivery(committed, delivered);
    // The same audit, applied to what the naive reader read, is what shows it losing events.
    const naiveLost = auditDelivery(committed, naive.events).lost;
    const storedIds = new Set(committed.map((event) => `${event.streamId}@${event.streamVersion}`));
    const acknowledgedEvents = tally.appends.flatMap(({ streamId, fromVersion, toVersion }) =>
      range(fromVersion, toVersion).map((version) => `${streamId}@${version}`),
    );
    const missingFromStore = acknowledgedEvents.filter((key) => !storedIds.has(key)).length;
    const rolledBackOnTopic = delivered.filter((event) => event.rolledBack).length;
    const extra = Math.max(audit.extra, rolledBackOnTopic);
    const misplaced = misplacedRecords(delivered);

    return {
      scenario: 1,
      name: 'late commits',
      acknowledged: tally.appends.length,
      expectedEvents: acknowledgedEvents.length,
      foundEvents: audit.found,
      lost: missingFromStore + audit.lost,
      appliedTwice: audit.appliedTwice,
      recoverySeconds: null,
      naiveLost,
      extra,
      topicDuplicates: audit.duplicates,
      outOfOrder: audit.outOfOrder,
      misplaced,
      rolledBack: tally.rolledBack,
      detail: [
        `committed ${audit.expected}`,
        `rolled back ${tally.rolledBack}`,
        `conflicts ${tally.conflicts}`,
        `topic records ${delivered.length}`,
        `extra ${extra}`,
        `topic duplicates ${audit.duplicates}`,
        `out of order ${audit.outOfOrder}`,
        `not keyed or partitioned by stream ${misplaced}`,
        `naive reader lost ${naiveLost}`,
        ...audit.examples,
      ].join('; '),
    };
  } finally {
    for (const cleanup of cleanups.reverse()) {
      await cleanup().catch(() => undefined);
    }
  }
}

/**
 * What a reader that trusts the position column does: it reads rows above the highest position
 * it has seen, in position order, and moves on. A row whose transaction commits after a higher
 * position was read is never read.
 */
export class NaivePositionReader {
  /** What it read, in the order it read it. */
  readonly events: AuditedEvent[] = [];
  private last = '0';
  private running = true;

  constructor(private readonly pool: Pool) {}

  async run(): Promise<void> {
    while (this.running) {
      await this.pass();
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  stop(): void {
    this.running = false;
  }

  async pass(): Promise<void> {
    for (;;) {
      const { rows } = await this.pool.query<AuditedEvent & { position: string }>(
        `SELECT position::text AS position, event_id AS id, stream_id AS "streamId",
           stream_version AS "streamVersion"
         FROM ${SCHEMA}.events WHERE position > $1::bigint ORDER BY position LIMIT 500`,
        [this.last],
      );
      for (const { position, ...event } of rows) {
        this.events.push(event);
        this.last = position;
      }
      if (rows.length < 500) {
        return;
      }
    }
  }
}

/** Waits until the relay's checkpoint names the last event in (transaction, position) order. */
async function relayCaughtUp(pool: Pool, timeoutMs: number): Promise<void> {
  await eventually(
    async () => {
      const { rows } = await pool.query<{ done: boolean }>(
        `SELECT (SELECT (transaction_id::text, position)::text FROM ${SCHEMA}.relay_checkpoints)
            IS NOT DISTINCT FROM (SELECT (transaction_id::text, position)::text
              FROM ${SCHEMA}.events ORDER BY transaction_id DESC, position DESC LIMIT 1) AS done`,
      );

      return rows[0].done ? true : undefined;
    },
    timeoutMs,
    50,
  );
}

interface DeliveredEvent extends AuditedEvent {
  rolledBack: boolean;
  key: string | null;
  partition: number;
}

/**
 * Records not keyed by their stream, or of a stream spread over several partitions: Kafka
 * keeps order only within a partition, so either would let a consumer see a stream out of order.
 */
function misplacedRecords(delivered: readonly DeliveredEvent[]): number {
  const partitionOf = new Map<string, number>();
  let misplaced = 0;
  for (const event of delivered) {
    const first = partitionOf.get(event.streamId) ?? event.partition;
    partitionOf.set(event.streamId, first);
    misplaced += event.key !== event.streamId || event.partition !== first ? 1 : 0;
  }

  return misplaced;
}

/** Every record on the topic, in offset order per partition. */
async function deliveredEvents(
  kafka: { brokers: string[]; clientId: string },
  topic: string,
): Promise<Array<DeliveredEvent>> {
  const offsets = new ProjectionOffsets(kafka);
  let total: number;
  try {
    const ends = await offsets.endOffsets([topic]);
    total = ends.reduce((sum, end) => sum + Number(end.offset), 0);
  } finally {
    await offsets.close();
  }
  const records = total === 0 ? [] : await readTopic(kafka, topic, total, 30_000);
  if (records.length < total) {
    throw new Error(`read ${records.length} of the topic's ${total} records`);
  }

  return records.map((record) => {
    const event = JSON.parse(record.value ?? 'null') as EventEnvelope;
    const data = event.data as { rollback?: boolean };

    return {
      id: event.id,
      streamId: event.streamId,
      streamVersion: event.streamVersion,
      rolledBack: data.rollback === true,
      key: record.key,
      partition: record.partition,
    };
  });
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
