/** One topic per owning context, keyed by stream id (DESIGN.md, "Events"). */
export const Topics = {
  contacts: 'crm.contacts.events',
  pipeline: 'crm.pipeline.events',
  activities: 'crm.activities.events',
  automation: 'crm.automation.events',
} as const;

export type TopicName = (typeof Topics)[keyof typeof Topics];

/** Kafka header names that carry envelope fields a consumer needs before decoding the value. */
export const EventHeaders = {
  type: 'relate-event-type',
  tenant: 'relate-tenant-id',
  traceparent: 'traceparent',
  tracestate: 'tracestate',
} as const;
