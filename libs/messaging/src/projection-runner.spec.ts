import { Kafka } from 'kafkajs';
import { Pool } from 'pg';

import { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

const projection: Projection = {
  name: 'spec',
  topics: ['spec-topic'],
  migrate: async () => undefined,
  apply: async () => undefined,
};

function fakeClient() {
  return {
    connect: jest.fn().mockResolvedValue(undefined),
    disconnect: jest.fn().mockResolvedValue(undefined),
    subscribe: jest.fn().mockResolvedValue(undefined),
    run: jest.fn().mockResolvedValue(undefined),
  };
}

describe(ProjectionRunner.name, () => {
  afterEach(() => jest.restoreAllMocks());

  it('gives its consumer the session timeout, and a rebalance timeout three times it', async () => {
    jest.spyOn(ProjectionRunner.prototype, 'migrate').mockResolvedValue();
    jest.spyOn(Kafka.prototype, 'producer').mockReturnValue(fakeClient() as never);
    const consumer = jest.spyOn(Kafka.prototype, 'consumer').mockReturnValue(fakeClient() as never);
    const settings = { brokers: ['127.0.0.1:9'], clientId: 'runner-spec' };
    const sut = new ProjectionRunner({} as Pool, settings, projection, {
      schema: 'spec',
      sessionTimeoutMs: 10_000,
    });

    await sut.start();
    await sut.stop();

    expect(consumer).toHaveBeenCalledWith(
      expect.objectContaining({ sessionTimeout: 10_000, rebalanceTimeout: 30_000 }),
    );
  });
});
