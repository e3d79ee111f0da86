import {
  CommandContext,
  companyStreamId,
  ContactsStreams,
  EventEnvelope,
  NewEvent,
} from '@relate/contracts';
import { RelateError } from '@relate/errors';
import { AppendOptions, PostgresEventStore, wrongExpectedVersion } from '@relate/event-store';

import { Decider } from './decider';
import {
  aggregateRef,
  AggregateRepository,
  EventSourcedRepository,
} from './event-sourced.repository';

type CounterEvent = { type: 'Counted'; data: { by: number } };
type CounterCommand = { type: 'Count'; by: number };

const counter: Decider<CounterCommand, number, CounterEvent> = {
  initialState: 0,
  decide: (command) => (command.by === 0 ? [] : [{ type: 'Counted', data: { by: command.by } }]),
  evolve: (state, event) => state + event.data.by,
};

const context: CommandContext = {
  tenantId: 'tenant-a',
  actor: { type: 'user', id: 'u1' },
  correlationId: 'c1',
};

const aggregate = { id: 'n1', streamId: 'counter-tenant-a:n1', streamType: 'Counter' };

function stored(version: number): EventEnvelope {
  return { streamVersion: version, type: 'Counted', data: { by: 1 } } as EventEnvelope;
}

/** A store whose every call must be expected: an unplanned call fails the test. */
function strictStore(history: EventEnvelope[]) {
  const append = jest.fn<Promise<unknown>, [string, string, NewEvent[], AppendOptions]>();
  const readStream = jest.fn(async (_tenantId: string, _streamId: string) => history);
  const store = { readStream, append } as unknown as PostgresEventStore;

  return { store, append, readStream };
}

describe(EventSourcedRepository.name, () => {
  const clock = { now: () => new Date('2026-03-02T10:00:00Z') };

  it('appends the decided events at the version it loaded', async () => {
    const { store, append } = strictStore([stored(1), stored(2)]);
    append.mockResolvedValue({ streamVersion: 3, position: '9', consistencyToken: 't3' });
    const sut = new EventSourcedRepository(store, clock, 'TEST');

    const result = await sut.execute({
      decider: counter,
      aggregate,
      context,
      command: () => ({ type: 'Count', by: 5 }),
    });

    expect(result).toEqual({ id: 'n1', version: 3, consistencyToken: 't3' });
    expect(append).toHaveBeenCalledWith(
      aggregate.streamId,
      'Counter',
      [{ type: 'Counted', data: { by: 5 } }],
      { expectedVersion: 2, context },
    );
  });

  it('refuses a stale If-Match before deciding or appending', async () => {
    const { store, append } = strictStore([stored(1), stored(2)]);
    const sut = new EventSourcedRepository(store, clock, 'TEST');

    const attempt = sut.execute({
      decider: counter,
      aggregate,
      context,
      expectedVersion: 1,
      command: () => ({ type: 'Count', by: 5 }),
    });

    await expect(attempt).rejects.toMatchObject({
      code: 'EVENT_STORE.WRONG_EXPECTED_VERSION',
      category: 'conflict',
    });
    expect(append).not.toHaveBeenCalled();
  });

  it('answers the current version without appending when nothing changes', async () => {
    const { store, append } = strictStore([stored(1)]);
    const sut = new EventSourcedRepository(store, clock, 'TEST');

    const result = await sut.execute({
      decider: counter,
      aggregate,
      context,
      command: () => ({ type: 'Count', by: 0 }),
    });

    expect(result.version).toBe(1);
    expect(append).not.toHaveBeenCalled();
  });

  it('reports a create that lost a race as already existing', async () => {
    const { store, append } = strictStore([]);
    append.mockRejectedValue(wrongExpectedVersion(aggregate.streamId, 0, 1));
    const sut = new EventSourcedRepository(store, clock, 'TEST');

    const attempt = sut.execute({
      decider: counter,
      aggregate,
      context,
      command: () => ({ type: 'Count', by: 1 }),
    });

    await expect(attempt).rejects.toMatchObject({ code: 'TEST.ALREADY_EXISTS' });
  });

  it('passes a concurrent writer’s conflict on an existing stream through', async () => {
    const { store, append } = strictStore([stored(1)]);
    const conflict = wrongExpectedVersion(aggregate.streamId, 1, 2);
    append.mockRejectedValue(conflict);
    const sut = new EventSourcedRepository(store, clock, 'TEST');

    const attempt = sut.execute({
      decider: counter,
      aggregate,
      context,
      command: () => ({ type: 'Count', by: 1 }),
    });

    await expect(attempt).rejects.toBe(conflict);
    expect(conflict).toBeInstanceOf(RelateError);
  });
});

describe(aggregateRef.name, () => {
  it('names the tenant’s stream of the aggregate and its stream type', () => {
    expect(aggregateRef(ContactsStreams.company, 'acme', 'c1')).toEqual({
      id: 'c1',
      streamId: companyStreamId('acme', 'c1'),
      streamType: 'Company',
    });
  });
});

describe(AggregateRepository.name, () => {
  const clock = { now: () => new Date('2026-03-02T10:00:00Z') };
  const stream = { type: 'Counter', prefix: 'counter-' };

  it('executes a command on the target’s stream at the expected version', async () => {
    const { store, append, readStream } = strictStore([stored(1)]);
    append.mockResolvedValue({ streamVersion: 2, position: '9', consistencyToken: 't2' });
    const sut = new EventSourcedRepository(store, clock, 'TEST').of(counter, stream);

    const result = await sut.execute(
      { context, id: 'n1', expectedVersion: 1 },
      { type: 'Count', by: 2 },
    );

    expect(result).toEqual({ id: 'n1', version: 2, consistencyToken: 't2' });
    expect(readStream).toHaveBeenCalledWith('tenant-a', 'counter-tenant-a:n1');
    expect(append).toHaveBeenCalledWith('counter-tenant-a:n1', 'Counter', expect.any(Array), {
      expectedVersion: 1,
      context,
    });
  });

  it('builds the command from the loaded state when given a function', async () => {
    const { store, append } = strictStore([stored(1), stored(2)]);
    append.mockResolvedValue({ streamVersion: 3, position: '9', consistencyToken: 't3' });
    const sut = new EventSourcedRepository(store, clock, 'TEST').of(counter, stream);

    await sut.execute({ context, id: 'n1' }, (state) => ({ type: 'Count', by: state * 10 }));

    expect(append.mock.calls[0][2]).toEqual([{ type: 'Counted', data: { by: 20 } }]);
  });

  it('loads the state and version of an aggregate of the tenant', async () => {
    const { store, readStream } = strictStore([stored(1), stored(2)]);
    const sut = new EventSourcedRepository(store, clock, 'TEST').of(counter, stream);

    expect(await sut.load('tenant-a', 'n1')).toEqual({ state: 2, version: 2 });
    expect(readStream).toHaveBeenCalledWith('tenant-a', 'counter-tenant-a:n1');
  });
});
