import {
  ConditionSeen,
  EventEnvelope,
  FiringRecord,
  NewEventOf,
  AutomationEventDataMap,
  RuleAction,
  RuleCondition,
  RuleDefinition,
  RuleTrigger,
  INITIAL_SCHEMA_VERSION,
} from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';

import { render } from '../rules/rule-definition';
import { derivedId } from './derived-id';

const FIELD_OF_EVENT: Record<string, (data: Record<string, unknown>) => string[]> = {
  CompanyDetailsChanged: (d) => Object.keys(d.changes as object),
  TaskDetailsChanged: (d) => {
    const changes = d.changes as Record<string, unknown>;

    return [...Object.keys(changes), ...Object.keys((changes.personal as object) ?? {})];
  },
  PersonDetailsChanged: (d) => [
    ...Object.keys((d.personal as object) ?? {}),
    ...('title' in d ? ['title'] : []),
  ],
};

/** Whether an event is what a rule's trigger waits for. */
export function triggerMatches(trigger: RuleTrigger, event: EventEnvelope): boolean {
  if (trigger.eventType !== event.type) {
    return false;
  }
  const data = event.data as Record<string, unknown>;
  if (trigger.toStageId !== null && (data.toStageId ?? data.stageId) !== trigger.toStageId) {
    return false;
  }
  if (trigger.field !== null && FIELD_OF_EVENT[event.type]) {
    return FIELD_OF_EVENT[event.type](data).includes(trigger.field);
  }

  return true;
}

function see(condition: RuleCondition, record: FiringRecord): ConditionSeen {
  switch (condition.type) {
    case 'valueAbove':
      return {
        condition,
        actual: record.value,
        passed: record.value !== null && record.value > condition.amount,
      };
    case 'valueBelow':
      return {
        condition,
        actual: record.value,
        passed: record.value !== null && record.value < condition.amount,
      };
    case 'stageIs':
      return { condition, actual: record.stageId, passed: record.stageId === condition.stageId };
    case 'ownerIs':
      return { condition, actual: record.ownerId, passed: record.ownerId === condition.ownerId };
    case 'sourceIs':
      return {
        condition,
        actual: record.source,
        passed: record.source?.toLowerCase() === condition.source.toLowerCase(),
      };
    case 'pipelineIs':
      return {
        condition,
        actual: record.pipelineId,
        passed: record.pipelineId === condition.pipelineId,
      };
    default:
      return assertUnreachable(condition);
  }
}

/** Each condition with what the record showed; the rule fires when all passed. */
export function evaluateConditions(
  conditions: RuleCondition[],
  record: FiringRecord,
): ConditionSeen[] {
  return conditions.map((condition) => see(condition, record));
}

export interface FiringInput {
  ruleId: string;
  ruleVersion: number;
  rule: RuleDefinition;
  event: EventEnvelope;
  record: FiringRecord & { deal: { title: string | null; currency: string | null } | null };
  conditions: ConditionSeen[];
  /** The owner's email, when the record has an owner with one. */
  ownerEmail: string | null;
  templates: Record<string, { subject: string; body: string } | undefined>;
}

type FiringEvent = NewEventOf<AutomationEventDataMap>;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The longest task title activities takes. */
const TASK_TITLE_LIMIT = 200;

/**
 * At most `limit` UTF-16 units, never half of a surrogate pair: a lone surrogate is JSON that
 * PostgreSQL's jsonb refuses, so the firing's append failed and the trigger event was parked.
 */
export function truncated(text: string, limit: number): string {
  const cut = text.slice(0, limit);

  return cut.length < text.length && /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function placeholders(input: FiringInput): Record<string, string | number | null> {
  const { record, event, rule } = input;

  return {
    'rule.name': rule.name,
    'event.type': event.type,
    'event.occurredAt': event.occurredAt,
    'deal.id': record.dealId,
    'deal.title': record.deal?.title ?? null,
    'deal.value': record.value,
    'deal.currency': record.deal?.currency ?? null,
    'deal.stageId': record.stageId,
    'deal.pipelineId': record.pipelineId,
    'deal.ownerId': record.ownerId,
    'record.ownerId': record.ownerId,
    'record.source': record.source,
    'record.personId': record.personId,
    'record.companyId': record.companyId,
  };
}

/**
 * The events of one firing: RuleFired, then one event per action (a notify action, one per
 * user). Every id is derived from the firing id, and the firing id from the rule and the
 * trigger event: the same input always gives the same events.
 */
export function firingEvents(input: FiringInput): { firingId: string; events: FiringEvent[] } {
  const { ruleId, event, record } = input;
  const firingId = derivedId('firing', ruleId, event.id);
  const values = placeholders(input);
  const { deal: _deal, ...firingRecord } = record;
  const ownerOr = (who: string) => (who === 'owner' ? record.ownerId : who);
  const events: FiringEvent[] = [
    {
      type: 'RuleFired',
      schemaVersion: INITIAL_SCHEMA_VERSION,
      data: {
        firingId,
        ruleId,
        ruleVersion: input.ruleVersion,
        trigger: {
          eventId: event.id,
          eventType: event.type,
          streamId: event.streamId,
          occurredAt: event.occurredAt,
        },
        conditions: input.conditions,
        record: firingRecord,
      },
    },
  ];
  const skipped = (actionIndex: number, action: RuleAction['type']): FiringEvent => ({
    type: 'RuleActionSkipped',
    schemaVersion: INITIAL_SCHEMA_VERSION,
    data: { firingId, ruleId, actionIndex, action, reason: 'no-owner' },
  });
  input.rule.actions.forEach((action, index) => {
    const actionId = (...more: string[]) => derivedId(firingId, String(index), ...more);
    switch (action.type) {
      case 'createTask':
        events.push({
          type: 'FollowUpTaskRequested',
          schemaVersion: INITIAL_SCHEMA_VERSION,
          data: {
            firingId,
            ruleId,
            taskId: actionId('task'),
            title: truncated(render(action.title, values), TASK_TITLE_LIMIT) || input.rule.name,
            dueAt: new Date(Date.parse(event.recordedAt) + action.dueInDays * DAY_MS).toISOString(),
            assigneeId: ownerOr(action.assignTo),
            related: {
              personId: record.personId,
              companyId: record.companyId,
              dealId: record.dealId,
            },
            priority: action.priority,
          },
        });

        return;
      case 'sendEmail': {
        const template = input.templates[action.templateId];
        if (action.to === 'owner' && record.ownerId === null) {
          events.push(skipped(index, 'sendEmail'));

          return;
        }
        events.push({
          type: 'EmailQueued',
          schemaVersion: INITIAL_SCHEMA_VERSION,
          data: {
            emailId: actionId('email'),
            firingId,
            ruleId,
            templateId: action.templateId,
            personal: {
              to: action.to === 'owner' ? input.ownerEmail : action.to,
              subject: template ? render(template.subject, values) : '',
              text: template ? render(template.body, values) : '',
            },
          },
        });

        return;
      }
      case 'notify':
        // The others are still notified; the owner-less "owner" is recorded, not dropped.
        if (action.users.includes('owner') && record.ownerId === null) {
          events.push(skipped(index, 'notify'));
        }
        for (const user of new Set(action.users.map(ownerOr))) {
          if (user === null) {
            continue;
          }
          events.push({
            type: 'NotificationCreated',
            schemaVersion: INITIAL_SCHEMA_VERSION,
            data: {
              notificationId: actionId('notification', user),
              firingId,
              ruleId,
              userId: user,
              personal: { message: render(action.message, values) },
            },
          });
        }

        return;
      case 'webhook':
        events.push({
          type: 'WebhookQueued',
          schemaVersion: INITIAL_SCHEMA_VERSION,
          data: {
            deliveryId: actionId('delivery'),
            firingId,
            ruleId,
            subscriptionId: action.subscriptionId,
          },
        });

        return;
      default:
        return assertUnreachable(action);
    }
  });

  return { firingId, events };
}
