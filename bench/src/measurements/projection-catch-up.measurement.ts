import { Pool } from 'pg';

import { EventEnvelope } from '@relate/contracts';
import { EventPublisher, KafkaSettings, Projection, ProjectionRunner } from '@relate/messaging';

import { DealsProjection } from '../../../apps/pipeline/src/deals/deals.projection';
import { BenchContext, Measurement, MeasurementResult } from '../harness/bench-types';
import { interleave } from '../harness/rounds';
import { withScratchDatabase } from '../support/scratch-database';
import { pairedFigure, roundByRoundTable } from '../support/interleaved-load';
import { dealHistories, toEnvelopes } from '../support/deal-histories';
import { ConsumerPass, rawConsumerPass } from '../support/raw-consumer';
import { uniqueName } from '../support/unique-name';

const TENANT = 'bench-catch-up';
// The pipeline service's schema: the deals projection's tables are fixed to it.
const SCHEMA = 'pipeline';
const PUBLISH_BATCH = 500;
const POOL_SIZE = 8;
const POLL_MS = 2;
const RATIO = { on: 'ratio', atLeast: 0.5 } as const;

/** A catch-up's pass, and how long of it the projection's own statements took. */
interface CatchUpPass extends ConsumerPass {
  applySeconds?: number;
}

/**
 * 7. The pipeline service's deals read model (its DealsProjection under the project's
 * ProjectionRunner, on a database of its own) catching up with a topic holding a backlog of
 * deal events, against a kafkajs consumer that does nothing reading the same topic from the
 * beginning in a group of its own. Each round starts from an empty read model and a new group.
 */
export const projectionCatchUpMeasurement: Measurement = {
  id: 7,
  title: 'Projection catch-up',
  run: (context) =>
    withScratchDatabase(context.servers.databaseUrl, 'bench_catch_up', (database) =>
      measureCatchUp(context, database.pool(POOL_SIZE)),
    ),
};

async function measureCatchUp(context: BenchContext, pool: Pool): Promise<MeasurementResult> {
  const deals = context.scale === 'smoke' ? 300 : 3_000;
  const settings = context.servers.kafka('bench-catch-up');
  const topic = uniqueName('bench.catch-up');
  const envelopes = toEnvelopes(dealHistories({ tenantId: TENANT, deals }), TENANT);
  await publishBacklog(settings, topic, envelopes);
  const events = envelopes.length;
  const passes = await interleave<'relate' | 'baseline', CatchUpPass>(context.rounds, {
    relate: () => catchUpRound(pool, settings, topic, events, deals),
    baseline: () => rawConsumerPass(settings, [topic], events),
  });
  const rate = (pass: ConsumerPass) => events / pass.seconds;
  const withJoin = (pass: ConsumerPass) => pass.secondsWithJoin.toFixed(2);
  const applyShare = (pass: CatchUpPass) =>
    `${Math.round((100 * (pass.applySeconds ?? 0)) / pass.seconds)}%`;

  return {
    figures: [
      pairedFigure(
        { what: 'events/s applied to the deals read model', unit: 'events/s', target: RATIO },
        passes.relate.map(rate),
        { name: 'kafkajs consumer doing nothing, same topic', rounds: passes.baseline.map(rate) },
      ),
    ],
    tables: [
      roundByRoundTable(
        'Seconds a round, joining the consumer group included',
        ['deals read model', 'consumer doing nothing'],
        passes.relate,
        (pass, index) => [withJoin(pass), withJoin(passes.baseline[index])],
      ),
      roundByRoundTable(
        'Where the read model’s time goes (from the first event to the last applied)',
        ['seconds', 'in the projection’s statements', 'µs an event there'],
        passes.relate,
        (pass) => [
          pass.seconds.toFixed(2),
          applyShare(pass),
          Math.round(((pass.applySeconds ?? 0) * 1e6) / events),
        ],
      ),
    ],
    notes: [
      `${events} events of ${deals} deals on one topic (3 partitions), published as the relay ` +
        'does. Rates leave out joining the group, a fixed cost: the read model’s run from the ' +
        'first event handed to the projection to the last one applied (committed with its ' +
        'progress), the consumer’s from the group joined to the last record counted; the ' +
        'table gives the whole rounds. Both consumers use the same kafkajs settings.',
      'The projection applies each event with one SQL statement of its own (an insert or ' +
        'an update of the deal’s row, which keeps five indexes), awaited one after the ' +
        'other inside the runner’s transaction of 100 events; the runner adds a few ' +
        'statements a transaction (generation, progress rows, parked events) and an offset ' +
        'commit. The second table measures the share of the projection’s statements in ' +
        'each round: the consumer doing nothing has none of that work, so a ratio of 0.5 ' +
        'would need an event applied in about the time the consumer takes to read two.',
    ],
  };
}

async function publishBacklog(
  settings: KafkaSettings,
  topic: string,
  envelopes: EventEnvelope[],
): Promise<void> {
  const publisher = new EventPublisher(settings);
  try {
    for (let start = 0; start < envelopes.length; start += PUBLISH_BATCH) {
      await publisher.publish(topic, envelopes.slice(start, start + PUBLISH_BATCH));
    }
  } finally {
    await publisher.disconnect();
  }
}

/** One catch-up of an empty deals read model, by a runner in a new consumer group. */
async function catchUpRound(
  pool: Pool,
  settings: KafkaSettings,
  topic: string,
  events: number,
  deals: number,
): Promise<CatchUpPass> {
  const deal = new DealsProjection([topic]);
  let first: bigint | undefined;
  let applyNs = 0n;
  // The product's projection, noting when the runner hands it its first event.
  const projection: Projection = {
    name: deal.name,
    topics: deal.topics,
    tables: deal.tables,
    migrate: (client) => deal.migrate(client),
    apply: async (event, client) => {
      const started = process.hrtime.bigint();
      first ??= started;
      await deal.apply(event, client);
      applyNs += process.hrtime.bigint() - started;
    },
  };
  const runner = new ProjectionRunner(pool, settings, projection, {
    schema: SCHEMA,
    groupId: uniqueName('bench.catch-up'),
  });
  await runner.migrate();
  await pool.query(`TRUNCATE ${deal.tables.join(', ')}, ${SCHEMA}.projection_stream_versions`);
  const started = process.hrtime.bigint();
  let last: bigint;
  await runner.start();
  try {
    await until(() => runner.stats.applied >= events, 300_000);
    last = process.hrtime.bigint();
  } finally {
    await runner.stop();
  }
  const { rows } = await pool.query<{ count: string }>(`SELECT count(*) FROM ${deal.tables[0]}`);
  if (Number(rows[0].count) !== deals || runner.stats.applied !== events) {
    throw new Error(`applied ${runner.stats.applied} of ${events} events, ${rows[0].count} deals`);
  }

  return {
    seconds: Number(last - (first ?? last)) / 1e9,
    secondsWithJoin: Number(last - started) / 1e9,
    applySeconds: Number(applyNs) / 1e9,
  };
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('the read model did not catch up in time');
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
