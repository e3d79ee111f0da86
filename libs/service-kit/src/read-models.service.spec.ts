import { Pool } from 'pg';

import { dealStreamId } from '@relate/contracts';
import { encodeConsistencyToken } from '@relate/event-store';
import {
  Projection,
  ProjectionGenerations,
  ProjectionRunner,
  ProjectionRunnerOptions,
} from '@relate/messaging';

import { ReadModels } from './read-models.service';

class DealsReadModel implements Projection {
  readonly name = 'deals';
  readonly topics = ['pipeline-topic'];
  migrate = jest.fn();
  apply = jest.fn();
}

function readModels() {
  // Nothing connects: the runner only builds its Kafka client until start().
  return new ReadModels(
    {} as Pool,
    { brokers: ['127.0.0.1:9'], clientId: 'read-models-spec' },
    [new DealsReadModel()],
    {
      schema: 'pipeline',
      topics: {
        contacts: 'contacts-topic',
        pipeline: 'pipeline-topic',
        activities: 'activities-topic',
        automation: 'automation-topic',
      },
      groupPrefix: 'spec',
    },
  );
}

describe(ReadModels.name, () => {
  beforeEach(() => jest.spyOn(ProjectionGenerations.prototype, 'all').mockResolvedValue(new Map()));
  afterEach(() => jest.restoreAllMocks());

  it('waits for a token of the caller’s own stream', async () => {
    const waitFor = jest.spyOn(ProjectionRunner.prototype, 'waitFor').mockResolvedValue(true);
    const token = encodeConsistencyToken(dealStreamId('acme', 'd1'), 3);

    await readModels().waitFor('acme', token, [DealsReadModel]);

    expect(waitFor).toHaveBeenCalledWith('deal-acme:d1', 3, expect.any(Number));
  });

  it('ignores a token of another tenant’s stream, answering at once', async () => {
    const waitFor = jest.spyOn(ProjectionRunner.prototype, 'waitFor').mockResolvedValue(true);
    const ofAcme = encodeConsistencyToken(dealStreamId('acme', 'd1'), 3);
    const ofPrefix = encodeConsistencyToken(dealStreamId('acme-b', 'd1'), 3);

    await readModels().waitFor('globex', ofAcme, [DealsReadModel]);
    await readModels().waitFor('acme', ofPrefix, [DealsReadModel]);

    expect(waitFor).not.toHaveBeenCalled();
  });

  it('starts without waiting for the runners to join, and stops late joiners', async () => {
    let joined: () => void = () => undefined;
    const migrate = jest.spyOn(ProjectionRunner.prototype, 'migrate').mockResolvedValue();
    jest
      .spyOn(ProjectionRunner.prototype, 'start')
      .mockReturnValue(new Promise<void>((resolve) => (joined = resolve)));
    const stop = jest.spyOn(ProjectionRunner.prototype, 'stop').mockResolvedValue();
    const sut = readModels();

    await sut.start();
    expect(migrate).toHaveBeenCalledTimes(1);

    const stopping = sut.stop();
    joined();
    await stopping;
    expect(stop).toHaveBeenCalledTimes(2);
  });

  it('gives its runners a 10 s consumer session: a restart joins soon after a crash', async () => {
    const started: unknown[] = [];
    jest.spyOn(ProjectionRunner.prototype, 'migrate').mockResolvedValue();
    jest.spyOn(ProjectionRunner.prototype, 'start').mockImplementation(async function (
      this: unknown,
    ) {
      started.push(this);
    });
    jest.spyOn(ProjectionRunner.prototype, 'stop').mockResolvedValue();
    const sut = readModels();

    await sut.start();
    await sut.stop();

    // The runner keeps its options to itself; the test reads them to see what it was given.
    const [runner] = started as Array<{ options: ProjectionRunnerOptions }>;
    expect(runner.options.sessionTimeoutMs).toBe(10_000);
  });

  it('keeps generation 0 on the old group id and names later generations .g<N>', () => {
    const sut = readModels();

    expect(sut.groupIdOf('deals', 0)).toBe('spec.pipeline.deals');
    expect(sut.groupIdOf('deals', 3)).toBe('spec.pipeline.deals.g3');
  });

  it('refuses to rebuild an unknown projection, naming it', async () => {
    await expect(readModels().rebuild(['deals', 'nope'])).rejects.toMatchObject({
      category: 'validation',
      violations: [{ field: 'projections[1]', reason: 'unknown projection nope' }],
    });
  });

  it('refuses to rebuild a projection that does not declare its tables', async () => {
    await expect(readModels().rebuild(['deals'])).rejects.toMatchObject({
      code: 'READ_MODELS.TABLES_UNDECLARED',
    });
  });
});
