import { Controller, INestMicroservice, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ClientKafka,
  EventPattern,
  MessagePattern,
  MicroserviceOptions,
  Payload,
  Transport,
} from '@nestjs/microservices';
import { logLevel } from 'kafkajs';
import { lastValueFrom } from 'rxjs';

import {
  BrokerFixture,
  randomName,
  startBrokerFixture,
  waitUntil,
} from '../testing/broker-fixture';

// Decorators need the topic names when the class is declared.
const EVENT_TOPIC = randomName('nest.deal-won');
const REQUEST_TOPIC = randomName('nest.sum');
const receivedEvents: unknown[] = [];

@Controller()
class TransportProbeController {
  @EventPattern(EVENT_TOPIC)
  onDealWon(@Payload() event: unknown): void {
    receivedEvents.push(event);
  }

  @MessagePattern(REQUEST_TOPIC)
  sum(@Payload() numbers: number[]): number {
    return numbers.reduce((total, n) => total + n, 0);
  }
}

@Module({ controllers: [TransportProbeController] })
class TransportProbeModule {}

describe('broker with the NestJS Kafka transport', () => {
  let fixture: BrokerFixture;
  let server: INestMicroservice;
  let client: ClientKafka;

  beforeAll(async () => {
    fixture = await startBrokerFixture();
    const kafkaClient = { brokers: [fixture.broker.address], logLevel: logLevel.NOTHING };
    const groupId = randomName('nest-group');
    server = await NestFactory.createMicroservice<MicroserviceOptions>(TransportProbeModule, {
      transport: Transport.KAFKA,
      options: {
        client: { ...kafkaClient, clientId: randomName('nest-server') },
        consumer: { groupId },
        subscribe: { fromBeginning: true },
      },
      logger: false,
    });
    await server.listen();
    client = new ClientKafka({
      client: { ...kafkaClient, clientId: randomName('nest-client') },
      // A short poll only so that close() is quick; the server keeps kafkajs' 5 s default.
      consumer: { groupId: randomName('nest-reply-group'), maxWaitTimeInMs: 500 },
    });
    client.subscribeToResponseOf(REQUEST_TOPIC);
    await client.connect();
  });

  afterAll(async () => {
    // Closing waits for the server's parked fetch; one more event ends it at once.
    const serverClosed = server.close();
    await lastValueFrom(client.emit(EVENT_TOPIC, { closing: true }));
    await serverClosed;
    await client.close();
    await fixture.stop();
  });

  it('delivers an event emitted by ClientKafka to an @EventPattern handler', async () => {
    // Not `{ key, value }`: Nest would take that shape for a raw Kafka message.
    await lastValueFrom(client.emit(EVENT_TOPIC, { dealId: 'd-1', amount: 1200 }));

    await waitUntil(() => receivedEvents.length > 0, 10_000, 'the event');
    expect(receivedEvents).toEqual([{ dealId: 'd-1', amount: 1200 }]);
  });

  it('answers a request through the auto-created reply topic, fast', async () => {
    const durations: number[] = [];
    for (const numbers of [[1, 2, 3], [10, 20], [5]]) {
      const startedAt = Date.now();
      const total = await lastValueFrom(client.send<number | string>(REQUEST_TOPIC, numbers));
      durations.push(Date.now() - startedAt);
      // Nest's parser hands back only JSON objects and arrays parsed; a number comes as text.
      expect(Number(total)).toBe(numbers.reduce((a, b) => a + b, 0));
    }

    // Each hop waits in a long-polling fetch; without the wake-up a reply takes seconds.
    expect(Math.max(...durations.slice(1))).toBeLessThan(500);
  });
});
