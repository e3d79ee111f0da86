import { Admin, Consumer, ConsumerConfig, Partitioners, Producer } from 'kafkajs';

import { BrokerFixture, startBrokerFixture } from './broker-fixture';

/** A broker of the spec's own and the kafkajs clients a spec talks to it with. */
export interface KafkaClients {
  fixture: BrokerFixture;
  admin: Admin;
  /** Partitions keyed messages as the Java client does (kafkajs' default partitioner). */
  producer: Producer;
  /**
   * A consumer of the group that fetches and heartbeats every 200 ms unless told otherwise;
   * `stop` disconnects it.
   */
  consumer(groupId: string, config?: Partial<ConsumerConfig>): Consumer;
  /** Disconnects every consumer, then the admin and the producer, then closes the broker. */
  stop(): Promise<void>;
}

/** Starts a broker fixture and connects an admin and a producer to it. */
export async function startKafkaClients(): Promise<KafkaClients> {
  const fixture = await startBrokerFixture();
  const admin = fixture.kafka().admin();
  const producer = fixture.kafka().producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([admin.connect(), producer.connect()]);
  const consumers: Consumer[] = [];

  return {
    fixture,
    admin,
    producer,
    consumer: (groupId, config = {}) => {
      const consumer = fixture.kafka().consumer({
        groupId,
        maxWaitTimeInMs: 200,
        heartbeatInterval: 200,
        ...config,
      });
      consumers.push(consumer);

      return consumer;
    },
    stop: async () => {
      await Promise.all(consumers.map((consumer) => consumer.disconnect()));
      await Promise.all([admin.disconnect(), producer.disconnect()]);
      await fixture.stop();
    },
  };
}
