import { createKafkaClient, KafkaSettings } from '@relate/messaging';

import { uniqueName } from './unique-name';

export interface ConsumerPass {
  /** From the group joined (its first fetch included) to the last record: the join excluded. */
  seconds: number;
  /** From subscribing to the last record: joining the group included. */
  secondsWithJoin: number;
}

/**
 * A kafkajs consumer that does nothing with what it reads: a group of its own reads the topics
 * from the beginning, with the consumer settings the projection runner uses, until it has
 * counted `records`. The rate a consumer of this broker cannot beat.
 */
export async function rawConsumerPass(
  settings: KafkaSettings,
  topics: string[],
  records: number,
  timeoutMs = 120_000,
): Promise<ConsumerPass> {
  const consumer = createKafkaClient(settings).consumer({
    groupId: uniqueName('bench.raw-consumer'),
    maxWaitTimeInMs: 500,
    sessionTimeout: 30_000,
    rebalanceTimeout: 90_000,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    const subscribed = process.hrtime.bigint();
    let joined: bigint | undefined;
    consumer.on(consumer.events.GROUP_JOIN, () => (joined ??= process.hrtime.bigint()));
    let counted = 0;
    const done = new Promise<bigint>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`the consumer read ${counted} of ${records} records in time`)),
        timeoutMs,
      );
      void consumer.run({
        eachBatch: async ({ batch }) => {
          counted += batch.messages.length;
          if (counted >= records) {
            clearTimeout(timer);
            resolve(process.hrtime.bigint());
          }
        },
      });
    });
    const last = await done;

    return {
      seconds: Number(last - (joined ?? subscribed)) / 1e9,
      secondsWithJoin: Number(last - subscribed) / 1e9,
    };
  } finally {
    await consumer.disconnect();
  }
}
