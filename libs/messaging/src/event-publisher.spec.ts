import { Producer } from 'kafkajs';

import { EventPublisher } from './event-publisher';
import { noteEvent } from './testing/notes.projection';

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

const event = noteEvent('stream-1', 1, {});

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
