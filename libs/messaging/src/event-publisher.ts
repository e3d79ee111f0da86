import { Message, Partitioners, Producer } from 'kafkajs';

import { EventEnvelope } from '@relate/contracts';

import { toKafkaMessage } from './event-message';
import { KafkaSettings, createKafkaClient } from './kafka-client';

// Kafka's default message.max.bytes is about 1 MiB per record batch; stay well below it.
const MAX_SEND_BYTES = 512 * 1024;

/**
 * Publishes event envelopes to a topic: key = stream id (so a stream stays on one partition and
 * in order), value = the envelope as JSON, headers for type, tenant and trace context.
 */
export class EventPublisher {
  private readonly producer: Producer;

  constructor(settings: KafkaSettings) {
    this.producer = createKafkaClient(settings).producer({
      // Explicit: kafkajs 2 changed its default partitioner once already (DESIGN.md).
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: true,
      idempotent: settings.idempotent ?? true,
      // One request in flight keeps each partition's order through retries, idempotent or not.
      maxInFlightRequests: 1,
    });
  }

  connect(): Promise<void> {
    return this.producer.connect();
  }

  disconnect(): Promise<void> {
    return this.producer.disconnect();
  }

  /** Sends the events in order, acknowledged by all in-sync replicas (acks -1). */
  async publish(topic: string, events: EventEnvelope[]): Promise<void> {
    for (const messages of bySize(events.map(toKafkaMessage))) {
      await this.producer.send({ topic, acks: -1, messages });
    }
  }
}

function bySize(messages: Message[]): Message[][] {
  const sends: Message[][] = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const message of messages) {
    const size = Buffer.byteLength(message.value as string) + 200;
    if (current.length > 0 && bytes + size > MAX_SEND_BYTES) {
      sends.push(current);
      current = [];
      bytes = 0;
    }
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) {
    sends.push(current);
  }

  return sends;
}
