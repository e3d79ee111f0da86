/**
 * Telemetry names in one place, all under the `relate.` prefix, so dashboards and tests agree
 * on them and a rename is a reviewed change (STYLE.md, rule 13).
 */
export const TracerNames = {
  eventStore: 'relate.event-store',
  messaging: 'relate.messaging',
} as const;

export const SpanNames = {
  append: 'relate.event-store.append',
  relayPublish: 'relate.outbox.publish',
  projectionApply: 'relate.projection.apply',
  consume: 'relate.messaging.consume',
} as const;

export const SpanAttributes = {
  eventId: 'relate.event.id',
  eventType: 'relate.event.type',
  streamId: 'relate.stream.id',
  streamVersion: 'relate.stream.version',
  tenantId: 'relate.tenant.id',
  projection: 'relate.projection.name',
  topic: 'relate.messaging.topic',
  batchSize: 'relate.messaging.batch_size',
} as const;
