import { Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, Partitioners } from 'kafkajs';

import { FsyncPolicy } from './broker.config';
import { startBroker } from './server/broker-server';

/**
 * Produce/consume figures with kafkajs against an in-process broker:
 * `node -r @swc-node/register tools/broker/src/throughput.bench.ts [always|never]`.
 */
const logger = new Logger('BrokerBench');
const MESSAGES = 100_000;
const BATCH = 1_000;

async function main(fsync: FsyncPolicy): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'broker-bench-'));
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const broker = await startBroker({ port: 0, dataDir, fsync, logger: quiet });
  const kafka = new Kafka({
    brokers: [broker.address],
    clientId: 'bench',
    logLevel: logLevel.NOTHING,
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  const topic = `bench-${Date.now()}`;
  const value = 'x'.repeat(100);
  const batch = (n: number) =>
    Array.from({ length: BATCH }, (_, i) => ({ key: `key-${(n * BATCH + i) % 500}`, value }));

  let started = Date.now();
  for (let n = 0; n < MESSAGES / BATCH; n++) {
    await producer.send({ topic, acks: -1, messages: batch(n) });
  }
  const sequentialMs = Date.now() - started;

  started = Date.now();
  const sends = Array.from({ length: MESSAGES / BATCH }, (_, n) =>
    producer.send({ topic, acks: -1, messages: batch(n) }),
  );
  await Promise.all(sends);
  const concurrentMs = Date.now() - started;

  started = Date.now();
  for (let n = 0; n < 500; n++) {
    await producer.send({ topic, acks: -1, messages: [{ value }] });
  }
  const singleAckMs = (Date.now() - started) / 500;

  const consumer = kafka.consumer({ groupId: `bench-${Date.now()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let consumed = 0;
  started = Date.now();
  await new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch: fetched }) => {
        consumed += fetched.messages.length;
        if (consumed >= 2 * MESSAGES + 500) {
          resolve();
        }
      },
    });
  });
  const consumeMs = Date.now() - started;

  const wakeLatencyMs = await measureWakeLatency(kafka, `${topic}-wake`);
  logger.log('bench results', {
    fsync,
    sequentialMsgsPerSec: Math.round(MESSAGES / (sequentialMs / 1000)),
    concurrentMsgsPerSec: Math.round(MESSAGES / (concurrentMs / 1000)),
    singleMessageAckMs: Number(singleAckMs.toFixed(2)),
    consumeMsgsPerSec: Math.round(consumed / (consumeMs / 1000)),
    wakeLatencyMs,
  });
  await consumer.disconnect();
  await producer.disconnect();
  await broker.close();
  await rm(dataDir, { recursive: true, force: true });
}

/** Produce-to-delivery time while the consumer sits in a fetch with a 5 s max wait. */
async function measureWakeLatency(kafka: Kafka, topic: string): Promise<number[]> {
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: [{ value: 'warm-up' }] });
  const consumer = kafka.consumer({ groupId: `${topic}-group`, maxWaitTimeInMs: 5_000 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const arrivals: number[] = [];
  await consumer.run({ eachMessage: async () => void arrivals.push(Date.now()) });
  const latencies: number[] = [];
  for (let round = 1; round <= 5; round++) {
    while (arrivals.length < round) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // Long enough for the next fetch to be parked at the broker.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentAt = Date.now();
    await producer.send({ topic, messages: [{ value: `round ${round}` }] });
    while (arrivals.length <= round) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    latencies.push(arrivals[round] - sentAt);
  }
  const stopping = consumer.disconnect();
  await producer.send({ topic, messages: [{ value: 'wake the parked fetch' }] });
  await stopping;
  await producer.disconnect();

  return latencies;
}

main(process.argv[2] === 'never' ? 'never' : 'always').catch((error: Error) => {
  logger.error('bench failed', { error: error.message });
  process.exitCode = 1;
});
