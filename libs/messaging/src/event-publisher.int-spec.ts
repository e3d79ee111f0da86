import { randomBytes } from 'node:crypto';

import { EventEnvelope, EventHeaders } from '@relate/contracts';

import { EventPublisher } from './event-publisher';
import { KafkaSettings } from './kafka-client';
import { readTopic } from './topic-reader';

function kafkaSettings(): KafkaSettings {
  const brokers = process.env.RELATE_TEST_KAFKA_BROKERS;
  if (!brokers) {
    throw new Error('RELATE_TEST_KAFKA_BROKERS is not set: run the tests through jest');
  }

  return { brokers: brokers.split(','), clientId: 'event-publisher-spec' };
}

function envelope(streamId: string, streamVersion: number, data: unknown = {}): EventEnvelope {
  return {
    id: randomBytes(16).toString('hex'),
    type: 'NoteAdded',
    schemaVersion: 1,
    streamId,
    streamVersion,
    tenantId: 'tenant-a',
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    actor: { type: 'system', id: 'spec' },
    correlationId: 'corr',
    causationId: null,
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    data,
  };
}

describe(EventPublisher.name, () => {
  const settings = kafkaSettings();
  const sut = new EventPublisher(settings);

  beforeAll(() => sut.connect());
  afterAll(() => sut.disconnect());

  it('publishes keyed by stream id with the envelope as value and headers', async () => {
    const topic = `spec.publisher.${randomBytes(4).toString('hex')}`;
    const event = envelope('stream-1', 1, { n: 1 });

    await sut.publish(topic, [event]);
    const [record] = await readTopic(settings, topic, 1);

    expect(record.key).toBe('stream-1');
    expect(JSON.parse(record.value as string)).toEqual(event);
    expect(record.headers).toEqual({
      [EventHeaders.type]: 'NoteAdded',
      [EventHeaders.tenant]: 'tenant-a',
      [EventHeaders.traceparent]: event.traceparent,
    });
  });

  it('keeps each stream in order on one partition, across sends split by size', async () => {
    const topic = `spec.publisher.${randomBytes(4).toString('hex')}`;
    const padding = 'x'.repeat(20_000);
    const events = Array.from({ length: 60 }, (_, i) =>
      envelope(`stream-${i % 3}`, Math.floor(i / 3) + 1, { padding }),
    );

    await sut.publish(topic, events);
    const records = await readTopic(settings, topic, events.length);

    for (const streamId of ['stream-0', 'stream-1', 'stream-2']) {
      const ofStream = records.filter((record) => record.key === streamId);
      expect(new Set(ofStream.map((record) => record.partition)).size).toBe(1);
      expect(ofStream.map((record) => JSON.parse(record.value as string).streamVersion)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
    }
  });
});
