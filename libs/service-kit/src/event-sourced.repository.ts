import { CommandContext, tenantStreamId, WriteResult } from '@relate/contracts';
import { conflict, isRelateError } from '@relate/errors';
import {
  Clock,
  encodeConsistencyToken,
  EventStoreErrorCodes,
  PostgresEventStore,
  wrongExpectedVersion,
} from '@relate/event-store';

import { Decider, foldEvents } from './decider';

type AnyEvent = { type: string; data: unknown };

export interface AggregateRef {
  /** The aggregate id clients know. */
  id: string;
  streamId: string;
  streamType: string;
}

/** A stream kind of the event catalogue, e.g. `PipelineStreams.deal`. */
export interface StreamKind {
  type: string;
  prefix: string;
}

/** The aggregate `id` of a tenant, in its stream of the given kind. */
export function aggregateRef(stream: StreamKind, tenantId: string, id: string): AggregateRef {
  return { id, streamId: tenantStreamId(stream.prefix, tenantId, id), streamType: stream.type };
}

/** A command on an aggregate: who commands which one, against which version. */
export interface CommandTarget {
  context: CommandContext;
  /** The aggregate id clients know. */
  id: string;
  /** From If-Match: the version the client decided against. */
  expectedVersion?: number;
}

export interface Execution<TCommand, TState, TEvent extends AnyEvent> {
  decider: Decider<TCommand, TState, TEvent>;
  aggregate: AggregateRef;
  context: CommandContext;
  /** From If-Match: the version the client decided against. */
  expectedVersion?: number;
  /** Builds the command; may load what the decider needs besides the state. */
  command: (state: TState) => TCommand | Promise<TCommand>;
}

export interface Loaded<TState> {
  state: TState;
  version: number;
}

/**
 * Loads an aggregate from its stream, lets its decider decide, and appends the new events at
 * the version it loaded. A concurrent writer therefore fails with a conflict in the store, never
 * overwrites silently.
 */
export class EventSourcedRepository {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly clock: Clock,
    /** `CONTACTS` or `PIPELINE`: the namespace of this service's error codes. */
    private readonly errorNamespace: string,
  ) {}

  /** The repository of one aggregate type: its decider on its kind of stream. */
  of<TCommand, TState, TEvent extends AnyEvent>(
    decider: Decider<TCommand, TState, TEvent>,
    stream: StreamKind,
  ): AggregateRepository<TCommand, TState> {
    return new AggregateRepository(this, decider, stream);
  }

  async load<TState, TEvent extends AnyEvent>(
    decider: Decider<unknown, TState, TEvent>,
    tenantId: string,
    streamId: string,
  ): Promise<Loaded<TState>> {
    const events = await this.store.readStream(tenantId, streamId);
    // Every stored event is at schemaVersion 1; an upcaster goes here when a type changes.
    const state = foldEvents(decider, events as unknown as TEvent[]);

    return { state, version: events.at(-1)?.streamVersion ?? 0 };
  }

  async execute<TCommand, TState, TEvent extends AnyEvent>(
    execution: Execution<TCommand, TState, TEvent>,
  ): Promise<WriteResult> {
    const { decider, aggregate, context, expectedVersion } = execution;
    const { state, version } = await this.load(decider, context.tenantId, aggregate.streamId);
    if (expectedVersion !== undefined && expectedVersion !== version) {
      throw wrongExpectedVersion(aggregate.streamId, expectedVersion, version);
    }

    const command = await execution.command(state);
    const events = decider.decide(command, state, this.clock.now());
    if (events.length === 0) {
      return this.result(aggregate, version);
    }

    try {
      const appended = await this.store.append(aggregate.streamId, aggregate.streamType, events, {
        expectedVersion: version,
        context,
      });

      const { streamVersion, consistencyToken } = appended;

      return { id: aggregate.id, version: streamVersion, consistencyToken };
    } catch (error) {
      throw this.translate(error, aggregate, version);
    }
  }

  private result(aggregate: AggregateRef, version: number): WriteResult {
    const consistencyToken = encodeConsistencyToken(aggregate.streamId, version);

    return { id: aggregate.id, version, consistencyToken };
  }

  /** A create that lost a race (or an id another writer took first) already exists. */
  private translate(error: unknown, aggregate: AggregateRef, loadedVersion: number): unknown {
    const raced = isRelateError(error) && error.code === EventStoreErrorCodes.wrongExpectedVersion;
    if (raced && loadedVersion === 0) {
      return conflict(`${this.errorNamespace}.ALREADY_EXISTS`, `${aggregate.id} already exists`, {
        id: aggregate.id,
      });
    }

    return error;
  }
}

/** Load/decide/append of one aggregate type, addressed by tenant and aggregate id. */
export class AggregateRepository<TCommand, TState> {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly decider: Decider<TCommand, TState, AnyEvent>,
    private readonly stream: StreamKind,
  ) {}

  /**
   * Decides a command on the target aggregate and appends what it decides. A function builds
   * the command from the current state, when the command needs it.
   */
  execute(
    target: CommandTarget,
    command: TCommand | ((state: TState) => TCommand | Promise<TCommand>),
  ): Promise<WriteResult> {
    const { context, id, expectedVersion } = target;

    return this.repository.execute({
      decider: this.decider,
      aggregate: aggregateRef(this.stream, context.tenantId, id),
      context,
      expectedVersion,
      command:
        typeof command === 'function' ? (command as (state: TState) => TCommand) : () => command,
    });
  }

  load(tenantId: string, id: string): Promise<Loaded<TState>> {
    const { streamId } = aggregateRef(this.stream, tenantId, id);

    return this.repository.load(this.decider, tenantId, streamId);
  }
}
