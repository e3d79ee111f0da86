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
import { RelatedRecords, TaskPriority } from './activities.events';
import { EventEnvelope } from './envelope';
import { DomainEventOf, EnvelopeOf, NewEventOf, tenantStreamId } from './event-catalogue';

/** Stream types and stream id prefixes of the automation context (see {@link tenantStreamId}). */
export const AutomationStreams = {
  rule: { type: 'Rule', prefix: 'rule-' },
  firing: { type: 'RuleFiring', prefix: 'firing-' },
  reminder: { type: 'Reminder', prefix: 'reminder-' },
  webhook: { type: 'WebhookSubscription', prefix: 'webhook-' },
  emailTemplate: { type: 'EmailTemplate', prefix: 'email-template-' },
  email: { type: 'Email', prefix: 'email-' },
  notification: { type: 'Notification', prefix: 'notification-' },
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

export function emailTemplateStreamId(tenantId: string, templateId: string): string {
  return tenantStreamId(AutomationStreams.emailTemplate.prefix, tenantId, templateId);
}

export function emailStreamId(tenantId: string, emailId: string): string {
  return tenantStreamId(AutomationStreams.email.prefix, tenantId, emailId);
}

export function notificationStreamId(tenantId: string, notificationId: string): string {
  return tenantStreamId(AutomationStreams.notification.prefix, tenantId, notificationId);
}

// ---- Rule ---------------------------------------------------------------------------------

/**
 * What makes a rule look at an event: its type (of any catalogue), and optionally the stage a
 * deal moved to (DealMovedToStage, DealWon, DealLost) or the field a change touched.
 */
export interface RuleTrigger {
  eventType: string;
  toStageId: string | null;
  field: string | null;
}

/** A condition on the trigger event and the record it is about (a deal, person or company). */
export type RuleCondition =
  | { type: 'valueAbove'; amount: number }
  | { type: 'valueBelow'; amount: number }
  | { type: 'stageIs'; stageId: string }
  | { type: 'ownerIs'; ownerId: string }
  | { type: 'sourceIs'; source: string }
  | { type: 'pipelineIs'; pipelineId: string };

/** `owner`: the record's owner at the time of the firing; otherwise a sales rep (user) id. */
export type Assignee = 'owner' | string;

export type RuleAction =
  | {
      type: 'createTask';
      /** May hold placeholders such as `{{deal.title}}`. */
      title: string;
      dueInDays: number;
      assignTo: Assignee;
      priority: TaskPriority;
    }
  | { type: 'sendEmail'; templateId: string; /** `owner` or an email address. */ to: string }
  | { type: 'notify'; users: Assignee[]; message: string }
  | { type: 'webhook'; subscriptionId: string };

export interface RuleDefinition {
  name: string;
  trigger: RuleTrigger;
  conditions: RuleCondition[];
  actions: RuleAction[];
}

export interface RuleDefinedData extends RuleDefinition {
  ruleId: string;
}

/** Only the parts that changed are present. */
export interface RuleChangedData {
  ruleId: string;
  changes: Partial<RuleDefinition>;
}

export interface RuleDisabledData {
  ruleId: string;
}

export interface RuleEnabledData {
  ruleId: string;
}

export interface RuleDeletedData {
  ruleId: string;
}

// ---- Rule firing --------------------------------------------------------------------------

/** The event that made a rule fire, by reference. */
export interface TriggerReference {
  eventId: string;
  eventType: string;
  streamId: string;
}

/** A condition as the firing evaluated it: what it asked, what it saw. */
export interface ConditionSeen {
  condition: RuleCondition;
  actual: string | number | null;
  passed: boolean;
}

/** The record the trigger was about, as the rule engine knew it at the firing. */
export interface FiringRecord {
  dealId: string | null;
  personId: string | null;
  companyId: string | null;
  ownerId: string | null;
  pipelineId: string | null;
  stageId: string | null;
  value: number | null;
  source: string | null;
}

/** A rule matched an event: the first event of every firing stream. */
export interface RuleFiredData {
  firingId: string;
  ruleId: string;
  /** The rule's stream version the firing evaluated. */
  ruleVersion: number;
  trigger: TriggerReference & { occurredAt: string };
  conditions: ConditionSeen[];
  record: FiringRecord;
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
  /** Added with the automation service; activities may ignore it (default normal). */
  priority?: TaskPriority;
}

/** Text of a mail: personal data, erasable as a whole. */
export interface EmailPersonalData {
  /** The recipient's address; null when the rule's recipient has none. */
  to: string | null;
  subject: string;
  text: string;
}

/** A firing asks for an email; the mail sender sends it once (stream `email-<tenant>:<id>`). */
export interface EmailQueuedData {
  emailId: string;
  firingId: string;
  ruleId: string;
  templateId: string;
  personal: EmailPersonalData;
}

/** A firing notifies one user (in-app notification list). */
export interface NotificationCreatedData {
  notificationId: string;
  firingId: string;
  ruleId: string;
  userId: string;
  personal: { message: string };
}

export interface NotificationReadData {
  notificationId: string;
  userId: string;
}

/** A firing posts to a webhook subscription. */
export interface WebhookQueuedData {
  deliveryId: string;
  firingId: string;
  ruleId: string;
  subscriptionId: string;
}

/**
 * An action of a firing that could not be taken, recorded with the firing rather than dropped,
 * so that its firings say why nothing happened (a mail or notification to "the owner" of a
 * record that has none).
 */
export interface RuleActionSkippedData {
  firingId: string;
  ruleId: string;
  /** The action's position in the rule's actions. */
  actionIndex: number;
  action: RuleAction['type'];
  reason: 'no-owner';
}

// ---- Mail sending (rule emails and reminders) ------------------------------------------

/** Claimed before the SMTP conversation: a second claim of the same mail fails. */
export interface EmailSendClaimedData {
  emailId: string;
  messageId: string;
}

/** The SMTP server's answer. */
export interface EmailSentData {
  emailId: string;
  messageId: string;
  accepted: boolean;
  response: string;
}

/** Not sent: no address, no mail server, a refusal, or a crash after the claim. */
export interface EmailNotSentData {
  emailId: string;
  reason: 'no-address' | 'no-mail-server' | 'failed' | 'outcome-unknown';
  error: string | null;
}

// ---- Reminders ----------------------------------------------------------------------------

/** A task's reminder came due; claimed before sending (stream `reminder-<tenant>:<id>`). */
export interface ReminderSendClaimedData {
  reminderId: string;
  taskId: string;
  dueAt: string;
  assigneeId: string;
  messageId: string;
}

export interface ReminderSentData {
  reminderId: string;
  taskId: string;
  messageId: string;
  accepted: boolean;
  response: string;
}

export interface ReminderNotSentData {
  reminderId: string;
  taskId: string;
  reason: 'no-address' | 'no-mail-server' | 'failed' | 'outcome-unknown';
  error: string | null;
}

// ---- Email templates ----------------------------------------------------------------------

export interface EmailTemplateDefinedData {
  templateId: string;
  name: string;
  subject: string;
  body: string;
}

export interface EmailTemplateChangedData {
  templateId: string;
  changes: Partial<Pick<EmailTemplateDefinedData, 'name' | 'subject' | 'body'>>;
}

// ---- Webhook subscriptions ----------------------------------------------------------------

/** The subscription's secret is never in an event: it is shown once and kept apart. */
export interface WebhookSubscribedData {
  subscriptionId: string;
  url: string;
  eventTypes: string[];
  description: string | null;
}

export interface WebhookUnsubscribedData {
  subscriptionId: string;
}

// ---- Catalogue ----------------------------------------------------------------------------

/**
 * Every automation event type with its data. The keys are the persisted type strings. The
 * automation service adds its own types here (rules, firings, emails, notifications, webhooks,
 * reminders); consumers other than automation switch only over the types they use.
 */
export interface AutomationEventDataMap {
  RuleDefined: RuleDefinedData;
  RuleChanged: RuleChangedData;
  RuleDisabled: RuleDisabledData;
  RuleEnabled: RuleEnabledData;
  RuleDeleted: RuleDeletedData;
  RuleFired: RuleFiredData;
  FollowUpTaskRequested: FollowUpTaskRequestedData;
  EmailQueued: EmailQueuedData;
  NotificationCreated: NotificationCreatedData;
  NotificationRead: NotificationReadData;
  WebhookQueued: WebhookQueuedData;
  RuleActionSkipped: RuleActionSkippedData;
  EmailSendClaimed: EmailSendClaimedData;
  EmailSent: EmailSentData;
  EmailNotSent: EmailNotSentData;
  ReminderSendClaimed: ReminderSendClaimedData;
  ReminderSent: ReminderSentData;
  ReminderNotSent: ReminderNotSentData;
  EmailTemplateDefined: EmailTemplateDefinedData;
  EmailTemplateChanged: EmailTemplateChangedData;
  WebhookSubscribed: WebhookSubscribedData;
  WebhookUnsubscribed: WebhookUnsubscribedData;
}

export type AutomationEventType = keyof AutomationEventDataMap;

/** The persisted type strings, written out: never derive them from class names. */
export const AutomationEventTypes = [
  'RuleDefined',
  'RuleChanged',
  'RuleDisabled',
  'RuleEnabled',
  'RuleDeleted',
  'RuleFired',
  'FollowUpTaskRequested',
  'EmailQueued',
  'NotificationCreated',
  'NotificationRead',
  'WebhookQueued',
  'RuleActionSkipped',
  'EmailSendClaimed',
  'EmailSent',
  'EmailNotSent',
  'ReminderSendClaimed',
  'ReminderSent',
  'ReminderNotSent',
  'EmailTemplateDefined',
  'EmailTemplateChanged',
  'WebhookSubscribed',
  'WebhookUnsubscribed',
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
