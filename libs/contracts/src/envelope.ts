/** Who caused an event: a user of a tenant, or a system process such as the import. */
export interface Actor {
  type: 'user' | 'system';
  id: string;
}

/**
 * The envelope every Relate event travels in, in the event store, on Kafka and in history
 * answers. Analytics teams read this shape: it only grows compatibly.
 */
export interface EventEnvelope<TType extends string = string, TData = unknown> {
  /** UUID v7, unique per event; consumers use it to recognise redelivery. */
  id: string;
  type: TType;
  schemaVersion: number;
  streamId: string;
  /** 1 for the first event of a stream, then consecutive. */
  streamVersion: number;
  tenantId: string;
  /** Business time: when it happened (an imported deal's close date, say). ISO 8601. */
  occurredAt: string;
  /** When the event store committed it. ISO 8601. */
  recordedAt: string;
  actor: Actor;
  correlationId: string;
  causationId: string | null;
  /** W3C trace context of the command that caused the event. */
  traceparent: string | null;
  data: TData;
}

/** What a decider returns: the event before the store gives it identity, position and time. */
export interface NewEvent<TType extends string = string, TData = unknown> {
  type: TType;
  schemaVersion?: number;
  data: TData;
  /** Defaults to the moment of the append. */
  occurredAt?: string;
}

/** The request context that travels with every command from the gateway to a service. */
export interface CommandContext {
  tenantId: string;
  actor: Actor;
  correlationId: string;
  causationId?: string | null;
  traceparent?: string | null;
}
