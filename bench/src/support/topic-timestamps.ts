import { randomBytes } from 'node:crypto';

import { Consumer } from 'kafkajs';

import { createKafkaClient } from '@relate/messaging';

/**
 * The broker timestamp (the producer's create time: when the relay sent it) of each record
 * appended to a topic from now on, by key. A consumer group of its own starts at the end.
 */
export class TopicTimestamps {
  private readonly byKey = new Map<string, number>();

  private constructor(private readonly consumer: Consumer) {}

  static async start(brokers: string, topic: string): Promise<TopicTimestamps> {
    const kafka = createKafkaClient({ brokers: [brokers], clientId: 'bench-timestamps' });
    const consumer = kafka.consumer({
      groupId: `bench-timestamps-${randomBytes(4).toString('hex')}`,
      maxWaitTimeInMs: 100,
    });
    const timestamps = new TopicTimestamps(consumer);
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const key = message.key?.toString();
        if (key !== undefined && !timestamps.byKey.has(key)) {
          timestamps.byKey.set(key, Number(message.timestamp));
        }
      },
    });
    await joined;

    return timestamps;
  }

  /** The record's timestamp (epoch milliseconds), if one with that key arrived. */
  of(key: string): number | undefined {
    return this.byKey.get(key);
  }

  stop(): Promise<void> {
    return this.consumer.disconnect();
  }
}
