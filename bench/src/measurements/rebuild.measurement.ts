import { Pool } from 'pg';

import { Topics } from '@relate/contracts';
import { PostgresEventStore } from '@relate/event-store';
import { KafkaSettings, ProjectionOffsets } from '@relate/messaging';

import { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';
import { replay, ReplayOutcome } from '../../../tools/replay/src/replay.runner';
import { BenchContext, Measurement, MeasurementResult } from '../harness/bench-types';
import { appendHistories } from '../support/append-histories';
import { benchPipeline, dealHistories, eventCount } from '../support/deal-histories';
import { rawConsumerPass } from '../support/raw-consumer';

const SERVICE = 'pipeline';
// Every topic the service's read models read: its own, and contacts' for the company names.
const TOPICS = [Topics.pipeline, Topics.contacts];
const RELAY_TIMEOUT_MS = 120_000;
// A tenant of its own: on the shared system, other measurements' tenants keep their figures.
const TENANT = 'bench-rebuild';

/**
 * 9. The pipeline service rebuilding every read model it keeps (`npm run replay -- pipeline`,
 * i.e. POST /ops/read-models/rebuild, followed until each is live again) from its topics, after
 * generated deals were appended to its event store and published by its relay. Beside it, on
 * the same topics and broker, a kafkajs consumer that does nothing, for the rate no consumer of
 * this broker beats. The full run uses a system of its own; the smoke run the shared one.
 */
export const rebuildMeasurement: Measurement = {
  id: 9,
  title: 'Rebuild of a service’s read models',
  run: async (context) => {
    if (context.scale === 'smoke') {
      return measureRebuild(context, await context.system(), 200);
    }
    // Only the service rebuilt: other services would still be consuming the generated events
    // during the timed rebuild and take the CPU from it.
    const stack = await ChaosStack.start({ label: 'relate-bench-rebuild', services: [SERVICE] });
    try {
      // About as many deals as the maven-crm data set holds.
      return await measureRebuild(context, stack, 8_800);
    } finally {
      await stack.stop();
    }
  },
};

async function measureRebuild(
  context: BenchContext,
  stack: ChaosStack,
  deals: number,
): Promise<MeasurementResult> {
  const settings: KafkaSettings = { brokers: [stack.brokers], clientId: 'bench-rebuild' };
  const offsets = new ProjectionOffsets(settings);
  try {
    const before = await onTopics(offsets);
    const generated = await generate(stack, deals);
    const events = await untilPublished(offsets, before + generated);
    const raw = await rawConsumerPass(settings, TOPICS, events);
    const outcome = await replay({
      service: SERVICE,
      url: stack.url(SERVICE),
      write: () => undefined,
      pollMs: 100,
    });
    context.logger.log('read models rebuilt', { service: SERVICE, seconds: outcome.seconds });

    return rebuildResult(outcome, { events, generated, deals, rawRate: events / raw.seconds });
  } finally {
    await offsets.close();
  }
}

interface RebuiltData {
  /** Events on the topics when the rebuild began. */
  events: number;
  generated: number;
  deals: number;
  /** Events/s of the consumer doing nothing on the same topics. */
  rawRate: number;
}

function rebuildResult(outcome: ReplayOutcome, data: RebuiltData): MeasurementResult {
  const { events, generated, deals, rawRate } = data;
  const applied = outcome.readModels.reduce((sum, model) => sum + model.appliedEvents, 0);
  const topicRate = events / outcome.seconds;

  return {
    figures: [
      { what: 'topic events/s through the whole rebuild', unit: 'events/s', value: topicRate },
      {
        what: 'events/s applied, all read models together',
        unit: 'events/s',
        value: applied / outcome.seconds,
      },
      { what: 'seconds until every read model is live again', unit: 's', value: outcome.seconds },
    ],
    tables: [
      {
        title: `Read models of ${SERVICE}, rebuilt concurrently`,
        header: ['read model', 'events applied', 'seconds', 'events/s'],
        rows: outcome.readModels.map((model) => [
          model.name,
          model.appliedEvents,
          model.seconds.toFixed(1),
          Math.round(model.appliedEvents / Math.max(model.seconds, 0.001)),
        ]),
      },
      {
        title: 'The same topics read by a kafkajs consumer doing nothing',
        header: ['events', 'events/s', 'rebuild over it'],
        rows: [[events, Math.round(rawRate), `${(topicRate / rawRate).toFixed(3)}x`]],
      },
    ],
    notes: [
      `The pipeline service as \`npm start\` runs it (durable PostgreSQL and broker), ` +
        `${deals} generated deals (${generated} events) appended to its event store and ` +
        `published by its relay: ${events} events on ${TOPICS.join(' and ')} in all. The ` +
        'rebuild is timed as `npm run replay` times it, from the request to the last read ' +
        'model live again (polled every 100 ms); its read models rebuild at once, each ' +
        'reading the topic from the beginning in a new consumer group. One rebuild a run: ' +
        'the figure has no baseline and the time is better spent on the data volume.',
    ],
  };
}

/** Appends the bench pipeline and the deals to the service's event store; answers the events. */
async function generate(stack: ChaosStack, deals: number): Promise<number> {
  const pool = new Pool({ connectionString: stack.databaseUrl, max: 8 });
  pool.on('error', () => undefined);
  try {
    const store = new PostgresEventStore(pool, { schema: SERVICE });
    const histories = [benchPipeline(TENANT), ...dealHistories({ tenantId: TENANT, deals })];
    await appendHistories(store, histories, TENANT);

    return eventCount(histories);
  } finally {
    await pool.end();
  }
}

/** Records on the topics: the sum of their partitions' ends. */
async function onTopics(offsets: ProjectionOffsets): Promise<number> {
  const ends = await offsets.endOffsets(TOPICS);

  return ends.reduce((sum, end) => sum + Number(end.offset), 0);
}

/** Waits until the service's relay has put the generated events on the topic; answers all. */
async function untilPublished(offsets: ProjectionOffsets, expected: number): Promise<number> {
  const deadline = Date.now() + RELAY_TIMEOUT_MS;
  for (;;) {
    const published = await onTopics(offsets);
    if (published >= expected) {
      return published;
    }
    if (Date.now() > deadline) {
      throw new Error(`the relay published ${published} of ${expected} events in time`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
