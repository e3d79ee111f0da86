/**
 * A kafkajs consumer group member in a process of its own, for specs that kill it. Reads
 * BROKERS, TOPIC and GROUP_ID from its environment; prints one JSON line per assignment and per
 * message; leaves the group cleanly on SIGTERM.
 */
import { Kafka, logLevel } from 'kafkajs';

const print = (line: object): boolean => process.stdout.write(`${JSON.stringify(line)}\n`);

async function main(): Promise<void> {
  const kafka = new Kafka({
    clientId: 'group-member-process',
    brokers: (process.env.BROKERS ?? '').split(','),
    logLevel: logLevel.NOTHING,
  });
  const topic = process.env.TOPIC ?? '';
  const consumer = kafka.consumer({
    groupId: process.env.GROUP_ID ?? '',
    sessionTimeout: 6_000,
    heartbeatInterval: 300,
    maxWaitTimeInMs: 200,
  });
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) =>
    print({ event: 'assigned', partitions: payload.memberAssignment[topic] ?? [] }),
  );
  process.once('SIGTERM', () => {
    void consumer.disconnect().finally(() => process.exit(0));
  });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: async ({ partition, message }) =>
      void print({ event: 'message', partition, value: String(message.value) }),
  });
}

main().catch((error: Error) => {
  print({ event: 'failed', error: error.message });
  process.exit(1);
});
