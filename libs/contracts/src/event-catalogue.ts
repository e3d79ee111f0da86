import { EventEnvelope, NewEvent } from './envelope';

/** The schema version every event type of the walking skeleton starts at. */
export const INITIAL_SCHEMA_VERSION = 1;

/**
 * An event as deciders and projections see it: one member of a context's catalogue, its type
 * narrowing its data. Both an {@link EventEnvelope} and a {@link NewEvent} fit this shape.
 */
export type DomainEventOf<TMap, K extends keyof TMap = keyof TMap> = {
  [P in K]: { type: P; data: TMap[P] };
}[K];

/** A new event of a context's catalogue, before the store gives it identity and position. */
export type NewEventOf<TMap, K extends keyof TMap & string = keyof TMap & string> = {
  [P in K]: NewEvent<P, TMap[P]>;
}[K];

/** A stored event of a context's catalogue, in its envelope. */
export type EnvelopeOf<TMap, K extends keyof TMap & string = keyof TMap & string> = {
  [P in K]: EventEnvelope<P, TMap[P]>;
}[K];

/**
 * A stream id: `<prefix><tenant id>:<aggregate id>`, e.g. `deal-acme:0190…`. The tenant is part
 * of the id because aggregate ids may be chosen by clients (an idempotent import derives them
 * from natural keys): two tenants choosing the same id must get two streams, and one tenant must
 * not learn that another uses an id. Tenant ids never contain `:`.
 */
export function tenantStreamId(prefix: string, tenantId: string, aggregateId: string): string {
  return `${prefix}${tenantId}:${aggregateId}`;
}
