/**
 * The automation context's public event catalogue (topic `crm.automation.events`): rules, their
 * firings and every action a firing took, so that one can always see why a task appeared or an
 * email went out.
 *
 * Loops: events whose actor is the automation service itself (`{ type: 'system', id:
 * 'automation' }`), and events caused by them, never trigger rules.
 *
 * Every type is at schemaVersion 1 and only grows compatibly.
 */
import { RelatedRecords } from './activities.events';
import { EventEnvelope } from './envelope';
import { DomainEventOf, EnvelopeOf, NewEventOf, tenantStreamId } from './event-catalogue';

/** Stream types and stream id prefixes of the automation context (see {@link tenantStreamId}). */
export const AutomationStreams = {
  rule: { type: 'Rule', prefix: 'rule-' },
  firing: { type: 'RuleFiring', prefix: 'firing-' },
  reminder: { type: 'Reminder', prefix: 'reminder-' },
  webhook: { type: 'WebhookSubscription', prefix: 'webhook-' },
} as const;

export function ruleStreamId(tenantId: string, ruleId: string): string {
  return tenantStreamId(AutomationStreams.rule.prefix, tenantId, ruleId);
}

export function firingStreamId(tenantId: string, firingId: string): string {
  return tenantStreamId(AutomationStreams.firing.prefix, tenantId, firingId);
}

export function reminderStreamId(tenantId: string, reminderId: string): string {
  return tenantStreamId(AutomationStreams.reminder.prefix, tenantId, reminderId);
}

export function webhookStreamId(tenantId: string, subscriptionId: string): string {
  return tenantStreamId(AutomationStreams.webhook.prefix, tenantId, subscriptionId);
}

/** The actor of every event automation writes; rules never react to it. */
export const AUTOMATION_ACTOR = { type: 'system', id: 'automation' } as const;

// ---- Rule firing --------------------------------------------------------------------------

/** The event that made a rule fire, by reference. */
export interface TriggerReference {
  eventId: string;
  eventType: string;
  streamId: string;
}

/**
 * A firing asks the activities context for a follow-up task. Activities creates the task with
 * `taskId` (derived from the firing, so a redelivered request creates nothing new) and records
 * the rule and firing as the task's source.
 */
export interface FollowUpTaskRequestedData {
  firingId: string;
  ruleId: string;
  taskId: string;
  title: string;
  dueAt: string;
  assigneeId: string | null;
  related: RelatedRecords;
}

// ---- Catalogue ----------------------------------------------------------------------------

/**
 * Every automation event type with its data. The keys are the persisted type strings. The
 * automation service adds its own types here (rules, firings, emails, notifications, webhooks,
 * reminders); consumers other than automation switch only over the types they use.
 */
export interface AutomationEventDataMap {
  FollowUpTaskRequested: FollowUpTaskRequestedData;
}

export type AutomationEventType = keyof AutomationEventDataMap;

/** The persisted type strings, written out: never derive them from class names. */
export const AutomationEventTypes = [
  'FollowUpTaskRequested',
] as const satisfies readonly AutomationEventType[];

export type AutomationEvent = DomainEventOf<AutomationEventDataMap>;
export type NewAutomationEvent = NewEventOf<AutomationEventDataMap>;
export type AutomationEventEnvelope = EnvelopeOf<AutomationEventDataMap>;

export function isAutomationEventType(type: string): type is AutomationEventType {
  return (AutomationEventTypes as readonly string[]).includes(type);
}

/** Whether a stored event is one of this catalogue's; a consumer may also see other topics. */
export function isAutomationEnvelope(envelope: EventEnvelope): envelope is AutomationEventEnvelope {
  return isAutomationEventType(envelope.type);
}
