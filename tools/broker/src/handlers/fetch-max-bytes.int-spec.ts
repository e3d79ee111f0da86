import { startBrokerFixture, randomName, waitUntil } from '../testing/broker-fixture';

describe('fetch answers capped by the broker', () => {
  it('never answers more than its fetchMaxBytes, whatever the consumer asks for', async () => {
    const fixture = await startBrokerFixture({ fetchMaxBytes: 4096 });
    const kafka = fixture.kafka();
    const producer = kafka.producer();
    const consumer = kafka.consumer({ groupId: randomName('group') });
    try {
      const topic = randomName('capped');
      await producer.connect();
      for (let i = 0; i < 10; i++) {
        await producer.send({ topic, messages: [{ value: `${i}`.padEnd(1500, '.') }] });
      }
      const batchSizes: number[] = [];
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachBatch: async ({ batch }) => void batchSizes.push(batch.messages.length),
      });
      await waitUntil(
        () => batchSizes.reduce((sum, size) => sum + size, 0) >= 10,
        15_000,
        '10 messages',
      );

      // Each answer holds at most two 1.6 KB record batches; uncapped, one would hold all ten.
      expect(Math.max(...batchSizes)).toBeLessThanOrEqual(2);
    } finally {
      await consumer.disconnect();
      await producer.disconnect();
      await fixture.stop();
    }
  });
});
