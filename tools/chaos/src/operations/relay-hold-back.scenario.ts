import { randomBytes } from 'node:crypto';

import { Logger, LoggerService } from '@nestjs/common';
import { Client, Pool } from 'pg';

import { CommandContext } from '@relate/contracts';
import { OutboxRelay, PostgresEventStore } from '@relate/event-store';
import { createKafkaClient, EventPublisher, KafkaSettings, readTopic } from '@relate/messaging';
import { MetricsRegistry } from '@relate/observability';
import { outboxRelayMetrics } from '@relate/service-kit';
import { eventually, OwnPostgres, standaloneServers, startOwnPostgres } from '@relate/testing';

import { ChaosScale, ChaosScenario } from '../chaos-scenario';
import { CheckedFigures, failOnProblems, problemsOf } from '../scenario-problems';

const SCHEMA = 'holdback';
const HOLDER_APPLICATION = 'chaos-nightly-report';
const HELD_BACK_WARNING = 'outbox relay held back by a long-open transaction';
const STILL_HELD_BACK = 'outbox relay still held back by a long-open transaction';
const NO_LONGER = 'outbox relay no longer held back';

interface Sizes {
  warmUpStreams: number;
  writers: number;
  appendsPerWriter: number;
  holdMs: number;
  warningMs: number;
  repeatMs: number;
}

const SIZES: Record<ChaosScale, Sizes> = {
  short: {
    warmUpStreams: 5,
    writers: 4,
    appendsPerWriter: 10,
    holdMs: 5_000,
    warningMs: 1_000,
    repeatMs: 1_500,
  },
  full: {
    warmUpStreams: 20,
    writers: 10,
    appendsPerWriter: 60,
    holdMs: 30_000,
    warningMs: 5_000,
    repeatMs: 10_000,
  },
};

/** What scenario 10 saw besides the common figures; its spec asserts on these too. */
export interface RelayHoldBackFigures extends CheckedFigures {
  /** `relate_outbox_hold_back_age_seconds` as sampled during the hold, in order. */
  ageSamples: number[];
  /** The most `relate_outbox_events_held_back` showed during the hold. */
  maxHeldBack: number;
  /** Records that reached the topic while the transaction was open (beyond the warm-up). */
  publishedDuringHold: number;
  /** Warnings naming the holder, first and repeated, and the fields of the first. */
  warnings: string[];
  firstWarning: Record<string, unknown> | null;
  /** Whether the relay logged the end of the hold-back, naming the holder. */
  endLogged: boolean;
  holderPid: number;
  /** The age gauge once everything is published. */
  ageAfter: number;
  /** Streams whose events reached the topic out of version order. */
  outOfOrder: number;
}

/**
 * Scenario 10, a long-open transaction holds back the relay. A client opens a transaction and
 * takes a transaction id (like a report left open), while writers commit events through the
 * event store. The relay may not publish them (they could be followed by the holder's own
 * commits at lower positions), so they wait; meanwhile the relay's metric shows the hold-back
 * age growing and the events held back, and it logs a warning naming the transaction (pid,
 * application, age, events held back), repeated at intervals, not at every check. Once the
 * transaction ends, everything is published within seconds, exactly once and in stream order.
 */
export const relayHoldBackScenario: ChaosScenario = {
  id: 10,
  name: 'long-open transaction holds back the relay',
  run: async (scale) => failOnProblems(await runRelayHoldBack(scale)),
};

export async function runRelayHoldBack(scale: ChaosScale): Promise<RelayHoldBackFigures> {
  const sizes = SIZES[scale];
  const servers = await standaloneServers('hold-back-chaos');
  // The relay watches the oldest transaction of the whole cluster: other specs' transactions on
  // a shared server would take turns with the holder in its warnings.
  let postgres: OwnPostgres | undefined;
  const run = randomBytes(4).toString('hex');
  const topic = `chaos.hold-back.${run}`;
  const kafka = servers.kafka(`chaos-hold-back-${run}`);
  const captured = new CapturingLogger();
  let pool: Pool | undefined;
  let holder: Client | undefined;
  let relay: OutboxRelay | undefined;
  const publisher = new EventPublisher(kafka);
  try {
    postgres = await startOwnPostgres('hold-back-chaos');
    pool = new Pool({ connectionString: postgres.url, max: sizes.writers + 6 });
    const store = new PostgresEventStore(pool, { schema: SCHEMA });
    await store.migrate();
    await publisher.connect();
    const registry = new MetricsRegistry('relate.chaos-hold-back');
    relay = new OutboxRelay(pool, {
      schema: SCHEMA,
      topic,
      publisher,
      holdBackWarningMs: sizes.warningMs,
      holdBackCheckIntervalMs: 200,
      holdBackRepeatMs: sizes.repeatMs,
      metrics: outboxRelayMetrics(registry),
      logger: captured,
    });
    const activeRelay = relay;
    registry.beforeCollect(async () => {
      await activeRelay.refreshMetrics();
    });
    await relay.start();

    const warmUp = await appendAll(store, sizes.warmUpStreams, 1, 'warm');
    await eventually(
      async () => ((await topicRecords(kafka, topic)) === warmUp ? true : undefined),
      20_000,
    );

    holder = new Client({ connectionString: postgres.url, application_name: HOLDER_APPLICATION });
    await holder.connect();
    await holder.query('BEGIN');
    const { rows } = await holder.query<{ pid: number }>(
      'SELECT pg_backend_pid() AS pid, txid_current()',
    );
    const holderPid = rows[0].pid;
    const holdStarted = Date.now();
    const writing = appendAll(store, sizes.writers, sizes.appendsPerWriter, 'held');
    const ageSamples: number[] = [];
    let maxHeldBack = 0;
    let publishedDuringHold = 0;
    while (Date.now() - holdStarted < sizes.holdMs) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const text = await registry.collect();
      ageSamples.push(sample(text, 'relate_outbox_hold_back_age_seconds'));
      maxHeldBack = Math.max(maxHeldBack, sample(text, 'relate_outbox_events_held_back'));
      publishedDuringHold = Math.max(
        publishedDuringHold,
        (await topicRecords(kafka, topic)) - warmUp,
      );
    }
    const written = await writing;
    await holder.query('COMMIT');
    const committedAt = Date.now();
    const expected = await storedEventIds(pool);
    await eventually(
      async () => ((await topicRecords(kafka, topic)) >= expected.length ? true : undefined),
      30_000,
      50,
    );
    const recoverySeconds = (Date.now() - committedAt) / 1000;
    // Bounded; a missing end line is reported in the figures, not as a timeout.
    await eventually(
      () => (captured.lines.some((line) => line.message === NO_LONGER) ? true : undefined),
      10_000,
    ).catch(() => undefined);
    const ageAfter = sample(await registry.collect(), 'relate_outbox_hold_back_age_seconds');

    const published = await readTopic(kafka, topic, expected.length, 20_000);
    const seen = new Map<string, number>();
    const versions = new Map<string, number[]>();
    for (const record of published) {
      const event = JSON.parse(record.value ?? '{}') as { id: string; streamId: string } & {
        streamVersion: number;
      };
      seen.set(event.id, (seen.get(event.id) ?? 0) + 1);
      versions.set(event.streamId, [...(versions.get(event.streamId) ?? []), event.streamVersion]);
    }
    const lost = expected.filter((id) => !seen.has(id)).length;
    const appliedTwice = [...seen.values()].filter((count) => count > 1).length;
    const outOfOrder = [...versions.values()].filter((list) =>
      list.some((version, index) => index > 0 && version <= list[index - 1]),
    ).length;
    const ours = captured.lines.filter((line) => line.fields.pid === holderPid);
    const warnings = ours
      .filter((line) => line.message === HELD_BACK_WARNING || line.message === STILL_HELD_BACK)
      .map((line) => line.message);
    const maxAge = Math.max(0, ...ageSamples);
    const endLogged = ours.some((line) => line.message === NO_LONGER);
    const growth = (ageSamples.at(-1) ?? 0) - (ageSamples[0] ?? 0);

    return {
      scenario: 10,
      name: relayHoldBackScenario.name,
      acknowledged: warmUp + written,
      expectedEvents: expected.length,
      foundEvents: expected.length - lost,
      lost,
      appliedTwice,
      recoverySeconds,
      detail:
        `held ${(sizes.holdMs / 1000).toFixed(0)} s: age metric up to ${maxAge.toFixed(1)} s, ` +
        `${maxHeldBack} held back, ${publishedDuringHold} published meanwhile, ` +
        `${warnings.length} warnings, end logged: ${endLogged}`,
      ageSamples,
      maxHeldBack,
      publishedDuringHold,
      warnings,
      firstWarning: ours.find((line) => line.message === HELD_BACK_WARNING)?.fields ?? null,
      endLogged,
      holderPid,
      ageAfter,
      outOfOrder,
      problems: problemsOf({
        'nothing committed behind the holder is published while it is open':
          publishedDuringHold === 0,
        'the metric shows events held back': maxHeldBack > 0,
        'the hold-back age grows while the transaction stays open':
          growth > (sizes.holdMs - sizes.warningMs) / 2000,
        'a warning names the transaction': warnings[0] === HELD_BACK_WARNING,
        'the warning repeats at intervals, not at every check':
          warnings.length >= 2 && warnings.length <= sizes.holdMs / sizes.repeatMs + 2,
        'the end of the hold-back is logged': endLogged,
        'the age is 0 once nothing is held back': ageAfter === 0,
        'every stream is published in order': outOfOrder === 0,
      }),
    };
  } finally {
    await holder?.end().catch(() => undefined);
    await relay?.stop().catch(() => undefined);
    await publisher.disconnect().catch(() => undefined);
    await pool?.end().catch(() => undefined);
    await postgres?.stop().catch(() => undefined);
    await servers.stop();
  }
}

/** Writers in parallel, each appending to a stream of its own one event at a time. */
async function appendAll(
  store: PostgresEventStore,
  writers: number,
  appendsPerWriter: number,
  prefix: string,
): Promise<number> {
  const context: CommandContext = {
    tenantId: 'chaos-hold-back',
    actor: { type: 'system', id: 'chaos' },
    correlationId: `chaos-${prefix}`,
  };
  const counts = await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      let appended = 0;
      for (let version = 0; version < appendsPerWriter; version++) {
        await store.append(
          `note-${prefix}-${writer}`,
          'note',
          [{ type: 'NoteAdded', data: { n: version } }],
          { expectedVersion: version, context },
        );
        appended += 1;
      }

      return appended;
    }),
  );

  return counts.reduce((sum, count) => sum + count, 0);
}

async function storedEventIds(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT event_id::text AS id FROM ${SCHEMA}.events`,
  );

  return rows.map((row) => row.id);
}

/** Records on the topic, over all partitions (the sum of their high watermarks). */
async function topicRecords(kafka: KafkaSettings, topic: string): Promise<number> {
  const admin = createKafkaClient(kafka).admin();
  await admin.connect();
  try {
    const offsets = await admin.fetchTopicOffsets(topic);

    return offsets.reduce((sum, { high }) => sum + Number(high), 0);
  } catch {
    return 0;
  } finally {
    await admin.disconnect();
  }
}

/** The value of an unlabelled-or-single-series metric in Prometheus text. */
function sample(text: string, name: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${name}{`));

  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Keeps what the relay logs (message and fields) and passes it on to Nest's logger. */
class CapturingLogger implements LoggerService {
  readonly lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  private readonly logger = new Logger(OutboxRelay.name);

  log(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'log', message, fields });
    this.logger.log(message, fields);
  }

  warn(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'warn', message, fields });
    this.logger.warn(message, fields);
  }

  error(message: string, fields: Record<string, unknown> = {}): void {
    this.lines.push({ level: 'error', message, fields });
    this.logger.error(message, fields);
  }
}
