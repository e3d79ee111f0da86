/** Requests and views of the automation service's public API (gateway `/api/v1`). */
import { TaskPriority } from './activities.events';
import { ConditionSeen, FiringRecord, RuleAction, RuleCondition } from './automation.events';
import { PageQuery, WriteResult } from './http.api';

/** A rule's action as a client sends it: `priority` defaults to normal. */
export type RuleActionRequest =
  | (Omit<Extract<RuleAction, { type: 'createTask' }>, 'priority'> & { priority?: TaskPriority })
  | Exclude<RuleAction, { type: 'createTask' }>;

export interface RuleTriggerRequest {
  eventType: string;
  toStageId?: string | null;
  field?: string | null;
}

export interface DefineRuleRequest {
  id?: string;
  name: string;
  trigger: RuleTriggerRequest;
  conditions?: RuleCondition[];
  actions: RuleActionRequest[];
}

export interface ChangeRuleRequest {
  name?: string;
  trigger?: RuleTriggerRequest;
  conditions?: RuleCondition[];
  actions?: RuleActionRequest[];
}

export interface RuleView {
  id: string;
  name: string;
  trigger: { eventType: string; toStageId: string | null; field: string | null };
  conditions: RuleCondition[];
  actions: RuleAction[];
  enabled: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface RuleListQuery extends PageQuery {
  enabled?: boolean;
}

/**
 * Where an action of a firing stands: a task `requested` until activities `created` it; an
 * email `queued` until `sent` or `not-sent`; a notification `created`; a webhook `queued` (its
 * attempts are in the subscription's deliveries); an action that could not be taken `skipped`.
 */
export type FiringActionStatus =
  'requested' | 'created' | 'queued' | 'sent' | 'not-sent' | 'skipped';

/** What one action of a firing did, with the id of what it produced and its outcome. */
export interface FiringActionView {
  /** The firing event that carried the action. */
  type:
    | 'FollowUpTaskRequested'
    | 'EmailQueued'
    | 'NotificationCreated'
    | 'WebhookQueued'
    | 'RuleActionSkipped';
  /** The rule's action it came from. */
  action: RuleAction['type'];
  /** taskId, emailId, notificationId or deliveryId; null for a skipped action. */
  resultId: string | null;
  status: FiringActionStatus;
  /**
   * Why it was skipped or not sent: no-owner, no-address, no-mail-server, failed,
   * outcome-unknown, refused (the mail server did not accept it); otherwise null.
   */
  reason: string | null;
}

export interface FiringView {
  id: string;
  ruleId: string;
  ruleVersion: number;
  trigger: { eventId: string; eventType: string; streamId: string; occurredAt: string };
  conditions: ConditionSeen[];
  record: FiringRecord;
  actions: FiringActionView[];
  firedAt: string;
}

export interface DefineEmailTemplateRequest {
  id?: string;
  name: string;
  subject: string;
  body: string;
}

export interface ChangeEmailTemplateRequest {
  name?: string;
  subject?: string;
  body?: string;
}

export interface EmailTemplateView {
  id: string;
  name: string;
  subject: string;
  body: string;
  version: number;
}

export interface NotificationListQuery extends PageQuery {
  userId?: string;
  unread?: boolean;
}

export interface NotificationView {
  id: string;
  userId: string;
  ruleId: string;
  firingId: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}

export type ReminderState = 'scheduled' | 'sent' | 'cancelled' | 'not-sent' | 'sending';

export interface ReminderListQuery extends PageQuery {
  taskId?: string;
}

export interface ReminderView {
  taskId: string;
  reminderId: string;
  dueAt: string;
  assigneeId: string | null;
  state: ReminderState;
  /** Why not sent: no-address, no-mail-server, failed, outcome-unknown. */
  reason: string | null;
  sentAt: string | null;
  messageId: string | null;
}

export interface SubscribeWebhookRequest {
  id?: string;
  url: string;
  eventTypes: string[];
  description?: string | null;
}

/** The answer to a subscription: the secret appears here once and never again. */
export interface WebhookSubscribedResult extends WriteResult {
  secret: string;
}

export interface WebhookView {
  id: string;
  url: string;
  eventTypes: string[];
  description: string | null;
  active: boolean;
  version: number;
  createdAt: string;
}

export interface WebhookAttemptView {
  attempt: number;
  at: string;
  outcome: 'delivered' | 'failed';
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  /** When the next attempt is due; null after the last one. */
  nextAttemptAt: string | null;
}

export interface WebhookDeliveryView {
  id: string;
  subscriptionId: string;
  eventType: string;
  /** The event delivered, or the firing for deliveries a rule queued. */
  eventId: string;
  status: 'pending' | 'delivered' | 'failed' | 'cancelled';
  attempts: WebhookAttemptView[];
  nextAttemptAt: string | null;
  createdAt: string;
}
