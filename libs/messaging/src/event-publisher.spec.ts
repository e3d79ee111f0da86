import { Producer } from 'kafkajs';

import { EventEnvelope } from '@relate/contracts';

import { EventPublisher } from './event-publisher';

/** A producer that records its sends and fails those it is told to. */
function fakeProducer(id: number, log: string[], failSends: boolean): Producer {
  return {
    connect: async () => void log.push(`connect ${id}`),
    disconnect: async () => void log.push(`disconnect ${id}`),
    send: async () => {
      log.push(`send ${id}`);
      if (failSends) {
        throw new Error('The broker received an out of order sequence number');
      }

      return [];
    },
  } as unknown as Producer;
}

const event: EventEnvelope = {
  id: '0190a8e0-0000-7000-8000-000000000001',
  type: 'NoteAdded',
  schemaVersion: 1,
  streamId: 'stream-1',
  streamVersion: 1,
  tenantId: 'tenant-a',
  occurredAt: '2026-01-01T00:00:00.000Z',
  recordedAt: '2026-01-01T00:00:00.000Z',
  actor: { type: 'system', id: 'spec' },
  correlationId: 'corr',
  causationId: null,
  traceparent: null,
  data: {},
};

describe(EventPublisher.name, () => {
  it('sends the next batch with a new producer after a failed send', async () => {
    const log: string[] = [];
    let created = 0;
    const sut = new EventPublisher({ brokers: ['127.0.0.1:1'], clientId: 'spec' }, () => {
      created += 1;

      return fakeProducer(created, log, created === 1);
    });
    await sut.connect();

    await expect(sut.publish('topic', [event])).rejects.toThrow('out of order');
    await sut.publish('topic', [event]);

    expect(log).toEqual(['connect 1', 'send 1', 'disconnect 1', 'connect 2', 'send 2']);
  });
});
