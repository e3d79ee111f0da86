import { Logger } from '@nestjs/common';
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
  private producer: Producer;
  private connected = false;
  private readonly logger = new Logger(EventPublisher.name);

  constructor(
    private readonly settings: KafkaSettings,
    private readonly createProducer: (settings: KafkaSettings) => Producer = kafkaProducer,
  ) {
    this.producer = this.createProducer(settings);
  }

  async connect(): Promise<void> {
    await this.producer.connect();
    this.connected = true;
  }

  async disconnect(): Promise<void> {
    this.connected = false;
    await this.producer.disconnect();
  }

  /**
   * Sends the events in order, acknowledged by all in-sync replicas (acks -1). After a failed
   * send the producer is replaced: a request whose answer was lost may have been appended, and
   * an idempotent producer that kept its sequence numbers would then see every later, larger
   * batch from the same partition refused as out of order, for ever. A new producer id starts
   * its sequences afresh; the events sent twice that way are skipped by the consumers.
   */
  async publish(topic: string, events: EventEnvelope[]): Promise<void> {
    if (!this.connected) {
      await this.connect();
    }
    try {
      for (const messages of bySize(events.map(toKafkaMessage))) {
        await this.producer.send({ topic, acks: -1, messages });
      }
    } catch (error) {
      await this.replaceProducer();
      throw error;
    }
  }

  private async replaceProducer(): Promise<void> {
    const failed = this.producer;
    this.producer = this.createProducer(this.settings);
    this.connected = false;
    await failed.disconnect().catch(() => undefined);
    this.logger.warn('publisher replaced its producer after a failed send', {
      clientId: this.settings.clientId,
    });
  }
}

function kafkaProducer(settings: KafkaSettings): Producer {
  return createKafkaClient(settings).producer({
    // Explicit: kafkajs 2 changed its default partitioner once already (DESIGN.md).
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: true,
    idempotent: settings.idempotent ?? true,
    // One request in flight keeps each partition's order through retries, idempotent or not.
    maxInFlightRequests: 1,
  });
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
