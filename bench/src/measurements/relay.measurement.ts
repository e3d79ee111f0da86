import { Message, Partitioners, Producer } from 'kafkajs';
import { Pool } from 'pg';

import { EventEnvelope } from '@relate/contracts';
import { OutboxPublisher, OutboxRelay, PostgresEventStore } from '@relate/event-store';
import {
  createKafkaClient,
  EventPublisher,
  KafkaSettings,
  toKafkaMessage,
} from '@relate/messaging';

import { BenchContext, Measurement, MeasurementResult } from '../harness/bench-types';
import { interleave } from '../harness/rounds';
import { appendHistories } from '../support/append-histories';
import { withScratchDatabase } from '../support/scratch-database';
import { pairedFigure, roundByRoundTable } from '../support/interleaved-load';
import { dealHistories, eventCount } from '../support/deal-histories';
import { uniqueName } from '../support/unique-name';

const SCHEMA = 'bench_relay';
const TENANT = 'bench-relay';
// The relay's default: what a service runs with.
const RELAY_BATCH_SIZE = 500;
const POOL_SIZE = 8;
const RATIO = { on: 'ratio', atLeast: 0.7 } as const;

/**
 * 6. The outbox relay of @relate/event-store publishing a backlog of events appended through
 * the event store, with the project's EventPublisher, against kafkajs `producer.send` of the
 * same messages in the same batches (acks -1, idempotent, one request in flight, as the
 * publisher's producer) to the same broker. Each round publishes the whole backlog to a new
 * topic: the relay under a new checkpoint name, so from the first event.
 */
export const relayMeasurement: Measurement = {
  id: 6,
  title: 'Outbox relay to the broker',
  run: (context) =>
    withScratchDatabase(context.servers.databaseUrl, 'bench_relay', (database) =>
      measureRelay(context, database.pool(POOL_SIZE)),
    ),
};

async function measureRelay(context: BenchContext, pool: Pool): Promise<MeasurementResult> {
  const deals = context.scale === 'smoke' ? 300 : 6_000;
  const store = new PostgresEventStore(pool, { schema: SCHEMA, notify: false });
  await store.migrate();
  const histories = dealHistories({ tenantId: TENANT, deals });
  await appendHistories(store, histories, TENANT);
  const events = eventCount(histories);
  const batches = await relayBatches(store, events);
  const settings = context.servers.kafka('bench-relay');
  const publisher = new EventPublisher(settings);
  const producer = rawProducer(settings);
  await Promise.all([publisher.connect(), producer.connect()]);
  try {
    const timed = new TimedPublisher(publisher);
    const sending: number[] = [];
    const seconds = await interleave(context.rounds, {
      relate: async () => {
        const round = await relayRound(pool, timed, events);
        sending.push(timed.take() / round);

        return round;
      },
      baseline: () => rawRound(producer, batches),
    });
    const rate = (round: number) => events / round;

    return {
      figures: [
        pairedFigure(
          { what: 'events/s from the outbox to the broker', unit: 'events/s', target: RATIO },
          seconds.relate.map(rate),
          { name: 'kafkajs producer.send of the same batches', rounds: seconds.baseline.map(rate) },
        ),
      ],
      tables: [
        roundByRoundTable(
          'Share of the relay’s rounds spent in EventPublisher.publish',
          ['seconds', 'in publish (messages built, sent, acknowledged)'],
          seconds.relate,
          (round, index) => [round.toFixed(2), `${Math.round(100 * sending[index])}%`],
        ),
      ],
      notes: [
        `A backlog of ${events} events (${deals} deal histories, one append a deal) in the ` +
          `outbox; each round publishes all of it to a new topic, ${RELAY_BATCH_SIZE} events ` +
          'a batch: the relay reads a batch, sends it through EventPublisher (which builds ' +
          'the messages) and saves its checkpoint before it reads the next; the baseline ' +
          'sends the same messages, built ' +
          'beforehand, in the same batches with the same producer settings and waits for ' +
          'each acknowledgement likewise. The broker is the run’s own, in this process. ' +
          'The table gives the share of each relay round spent in sends: what is left is ' +
          'reading the batches from PostgreSQL and turning rows into envelopes.',
      ],
    };
  } finally {
    await Promise.all([publisher.disconnect(), producer.disconnect()]);
  }
}

/** One round of the relay: from the first event of the outbox to the last acknowledged. */
async function relayRound(pool: Pool, publisher: OutboxPublisher, events: number): Promise<number> {
  const topic = uniqueName('bench.relay');
  const relay = new OutboxRelay(pool, {
    schema: SCHEMA,
    topic,
    name: topic,
    publisher,
    batchSize: RELAY_BATCH_SIZE,
  });
  const started = process.hrtime.bigint();
  const published = await relay.publishPending();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (published !== events) {
    throw new Error(`the relay published ${published} of ${events} events`);
  }

  return seconds;
}

/** The project's publisher, counting the seconds spent in its sends. */
class TimedPublisher implements OutboxPublisher {
  private spentNs = 0n;

  constructor(private readonly publisher: EventPublisher) {}

  async publish(topic: string, events: EventEnvelope[]): Promise<void> {
    const started = process.hrtime.bigint();
    try {
      await this.publisher.publish(topic, events);
    } finally {
      this.spentNs += process.hrtime.bigint() - started;
    }
  }

  /** Seconds spent since the last call. */
  take(): number {
    const seconds = Number(this.spentNs) / 1e9;
    this.spentNs = 0n;

    return seconds;
  }
}

async function rawRound(producer: Producer, batches: Message[][]): Promise<number> {
  const topic = uniqueName('bench.relay-raw');
  const started = process.hrtime.bigint();
  for (const messages of batches) {
    await producer.send({ topic, acks: -1, messages });
  }

  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * The messages the relay sends, in its order and batches, built once for the baseline. The
 * store hands out only what committed before the oldest transaction still open on the server
 * began (another client's may be), so it waits, within bounds, until all can be read.
 */
async function relayBatches(store: PostgresEventStore, events: number): Promise<Message[][]> {
  const deadline = Date.now() + READABLE_WITHIN_MS;
  let batches = await readBatches(store);
  while (count(batches) < events && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    batches = await readBatches(store);
  }
  const read = count(batches);
  if (read !== events) {
    throw new Error(`read ${read} of ${events} events back from the store`);
  }

  return batches;
}

const READABLE_WITHIN_MS = 120_000;

const count = (batches: Message[][]): number =>
  batches.reduce((sum, batch) => sum + batch.length, 0);

async function readBatches(store: PostgresEventStore): Promise<Message[][]> {
  const batches: Message[][] = [];
  let after = '0';
  for (;;) {
    const stored = await store.readAll(after, RELAY_BATCH_SIZE);
    if (stored.length === 0) {
      break;
    }
    batches.push(stored.map(({ position: _position, ...envelope }) => toKafkaMessage(envelope)));
    after = stored[stored.length - 1].position;
  }

  return batches;
}

/** A producer set up as EventPublisher sets up its own. */
function rawProducer(settings: KafkaSettings): Producer {
  return createKafkaClient(settings).producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: true,
    idempotent: true,
    maxInFlightRequests: 1,
  });
}
