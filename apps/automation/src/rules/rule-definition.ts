import {
  ActivitiesEventTypes,
  ContactsEventTypes,
  PipelineEventTypes,
  RuleAction,
  RuleActionRequest,
  RuleCondition,
  RuleDefinition,
  RuleTrigger,
  RuleTriggerRequest,
} from '@relate/contracts';
import { FieldViolation } from '@relate/errors';

/** Event types a rule may trigger on: every catalogue but automation's own (no loops). */
export const TRIGGER_EVENT_TYPES: readonly string[] = [
  ...ContactsEventTypes,
  ...PipelineEventTypes,
  ...ActivitiesEventTypes,
];

/** Events that move a deal to a stage: the only ones a `toStageId` trigger applies to. */
export const STAGE_EVENT_TYPES = ['DealMovedToStage', 'DealWon', 'DealLost'];

/** The fields each change event can be narrowed to. */
export const FIELD_TRIGGERS: Record<string, readonly string[]> = {
  DealValueChanged: ['value'],
  DealOwnerAssigned: ['owner'],
  DealExpectedCloseDateChanged: ['expectedCloseDate'],
  DealProductChanged: ['product'],
  DealRenamed: ['title'],
  PersonOwnerAssigned: ['owner'],
  CompanyOwnerAssigned: ['owner'],
  PersonDetailsChanged: ['title', 'email', 'phone', 'firstName', 'lastName'],
  CompanyDetailsChanged: [
    'sector',
    'yearEstablished',
    'revenue',
    'employees',
    'officeLocation',
    'parentCompanyId',
    'website',
    'leadSource',
  ],
  TaskDetailsChanged: ['title', 'priority', 'reminder', 'notes'],
  TaskReassigned: ['assignee'],
  TaskRescheduled: ['dueAt'],
};

/** Placeholders a task title, notification message or email template may use. */
export const PLACEHOLDERS = [
  'rule.name',
  'event.type',
  'event.occurredAt',
  'deal.id',
  'deal.title',
  'deal.value',
  'deal.currency',
  'deal.stageId',
  'deal.pipelineId',
  'deal.ownerId',
  'record.ownerId',
  'record.source',
  'record.personId',
  'record.companyId',
] as const;

// `{{ name }}`, blanks trimmed in code: the former /\{\{\s*([^}]*?)\s*\}\}/ backtracked
// cubically on '{{' and blanks without a closing '}}' (a 20,000-character template body held the
// automation service's event loop for minutes). Excluding '{' keeps every scan linear.
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;
const EMAIL = /^[^\s@<>",;]+@[^\s@<>",;]+$/;
const PRIORITIES = ['low', 'normal', 'high'];
const MAX_TEXT = 2000;

/** Placeholders in a text that are not in {@link PLACEHOLDERS}. */
export function unknownPlaceholders(text: string): string[] {
  const known = PLACEHOLDERS as readonly string[];

  return [...text.matchAll(PLACEHOLDER)]
    .map((m) => m[1].trim())
    .filter((name) => !known.includes(name));
}

/** Replaces each `{{name}}` by its value; a missing value becomes an empty string. */
export function render(text: string, values: Record<string, string | number | null>): string {
  return text.replace(PLACEHOLDER, (_, name: string) => {
    const value = values[name.trim()];

    return value === null || value === undefined ? '' : String(value);
  });
}

type Check = (violations: FieldViolation[], field: string) => void;

function text(value: unknown, field: string, violations: FieldViolation[], max = MAX_TEXT) {
  if (typeof value !== 'string' || value.trim() === '') {
    violations.push({ field, reason: 'must be a non-empty string' });
  } else if (value.length > max) {
    violations.push({ field, reason: `must be at most ${max} characters` });
  }
}

function templated(value: unknown, field: string, violations: FieldViolation[]) {
  text(value, field, violations);
  if (typeof value === 'string') {
    for (const name of unknownPlaceholders(value)) {
      violations.push({ field, reason: `unknown placeholder {{${name}}}` });
    }
  }
}

export function triggerOf(request: RuleTriggerRequest): RuleTrigger {
  return {
    eventType: request.eventType,
    toStageId: request.toStageId ?? null,
    field: request.field ?? null,
  };
}

export function triggerViolations(trigger: RuleTrigger): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (!TRIGGER_EVENT_TYPES.includes(trigger.eventType)) {
    violations.push({ field: 'trigger.eventType', reason: 'must be a known event type' });

    return violations;
  }
  if (trigger.toStageId !== null && !STAGE_EVENT_TYPES.includes(trigger.eventType)) {
    const reason = `applies only to ${STAGE_EVENT_TYPES.join(', ')}`;
    violations.push({ field: 'trigger.toStageId', reason });
  }
  if (trigger.field !== null) {
    const fields = FIELD_TRIGGERS[trigger.eventType];
    if (fields === undefined) {
      violations.push({ field: 'trigger.field', reason: 'the event type changes no field' });
    } else if (!fields.includes(trigger.field)) {
      violations.push({ field: 'trigger.field', reason: `must be one of ${fields.join(', ')}` });
    }
  }

  return violations;
}

const CONDITION_CHECKS: Record<RuleCondition['type'], (c: never) => Check> = {
  valueAbove: (c: { amount: unknown }) => amountCheck(c.amount),
  valueBelow: (c: { amount: unknown }) => amountCheck(c.amount),
  stageIs: (c: { stageId: unknown }) => (v, f) => text(c.stageId, `${f}.stageId`, v, 200),
  ownerIs: (c: { ownerId: unknown }) => (v, f) => text(c.ownerId, `${f}.ownerId`, v, 200),
  sourceIs: (c: { source: unknown }) => (v, f) => text(c.source, `${f}.source`, v, 200),
  pipelineIs: (c: { pipelineId: unknown }) => (v, f) =>
    text(c.pipelineId, `${f}.pipelineId`, v, 200),
};

function amountCheck(amount: unknown): Check {
  return (violations, field) => {
    if (typeof amount !== 'number' || !Number.isFinite(amount)) {
      violations.push({ field: `${field}.amount`, reason: 'must be a number' });
    }
  };
}

export function conditionViolations(conditions: RuleCondition[]): FieldViolation[] {
  const violations: FieldViolation[] = [];
  conditions.forEach((condition, index) => {
    const field = `conditions[${index}]`;
    const check = CONDITION_CHECKS[condition?.type as RuleCondition['type']];
    if (check === undefined) {
      const reason = `must be one of ${Object.keys(CONDITION_CHECKS).join(', ')}`;
      violations.push({ field: `${field}.type`, reason });
    } else {
      check(condition as never)(violations, field);
      violations.push(...unknownFieldViolations(condition, field));
    }
  });

  return violations;
}

// A rep id as the tasks API takes it (`assigneeId`): a UUID or an API key's name. Anything else
// would make a task or notification nobody can ask for.
const ACTOR_ID = /^[A-Za-z0-9._~-]{1,128}$/;

function assigneeViolation(value: unknown, field: string, violations: FieldViolation[]) {
  if (typeof value !== 'string' || !ACTOR_ID.test(value)) {
    const reason =
      'must be "owner" or a rep id of 1-128 letters, digits, dots, dashes or underscores';
    violations.push({ field, reason });
  }
}

/** Users one notify action may name: each is an event per firing, so the fan-out stays small. */
export const MAX_NOTIFY_USERS = 50;

const FIELDS_OF: Record<string, readonly string[]> = {
  createTask: ['type', 'title', 'dueInDays', 'assignTo', 'priority'],
  sendEmail: ['type', 'templateId', 'to'],
  notify: ['type', 'users', 'message'],
  webhook: ['type', 'subscriptionId'],
  valueAbove: ['type', 'amount'],
  valueBelow: ['type', 'amount'],
  stageIs: ['type', 'stageId'],
  ownerIs: ['type', 'ownerId'],
  sourceIs: ['type', 'source'],
  pipelineIs: ['type', 'pipelineId'],
};

/** Fields a condition or action does not have: refused, not stored in the rule's events. */
function unknownFieldViolations(item: object, field: string): FieldViolation[] {
  const known = FIELDS_OF[(item as { type?: string }).type ?? ''] ?? [];

  return Object.keys(item)
    .filter((key) => !known.includes(key))
    .map((key) => ({ field: `${field}.${key}`, reason: 'is not a field of this type' }));
}

function actionViolations(action: RuleAction, field: string): FieldViolation[] {
  const violations: FieldViolation[] = [];
  switch (action.type) {
    case 'createTask':
      templated(action.title, `${field}.title`, violations);
      if (!Number.isInteger(action.dueInDays) || action.dueInDays < 0 || action.dueInDays > 365) {
        violations.push({ field: `${field}.dueInDays`, reason: 'must be an integer 0..365' });
      }
      assigneeViolation(action.assignTo, `${field}.assignTo`, violations);
      if (!PRIORITIES.includes(action.priority)) {
        violations.push({ field: `${field}.priority`, reason: 'must be low, normal or high' });
      }
      break;
    case 'sendEmail':
      text(action.templateId, `${field}.templateId`, violations, 200);
      if (action.to !== 'owner' && !(typeof action.to === 'string' && EMAIL.test(action.to))) {
        violations.push({ field: `${field}.to`, reason: 'must be "owner" or an email address' });
      }
      break;
    case 'notify':
      if (!Array.isArray(action.users) || action.users.length === 0) {
        violations.push({ field: `${field}.users`, reason: 'must name at least one user' });
      } else if (action.users.length > MAX_NOTIFY_USERS) {
        const reason = `must name at most ${MAX_NOTIFY_USERS} users`;
        violations.push({ field: `${field}.users`, reason });
      } else {
        action.users.forEach((user, i) =>
          assigneeViolation(user, `${field}.users[${i}]`, violations),
        );
      }
      templated(action.message, `${field}.message`, violations);
      break;
    case 'webhook':
      text(action.subscriptionId, `${field}.subscriptionId`, violations, 200);
      break;
    default:
      violations.push({
        field: `${field}.type`,
        reason: 'must be one of createTask, sendEmail, notify, webhook',
      });

      return violations;
  }

  return [...violations, ...unknownFieldViolations(action, field)];
}

export function actionsViolations(actions: RuleAction[]): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (!Array.isArray(actions) || actions.length === 0) {
    return [{ field: 'actions', reason: 'must hold at least one action' }];
  }
  actions.forEach((action, index) =>
    violations.push(...actionViolations(action, `actions[${index}]`)),
  );

  return violations;
}

export function actionOf(request: RuleActionRequest): RuleAction {
  return request.type === 'createTask'
    ? { ...request, priority: request.priority ?? 'normal' }
    : request;
}

/** Every reason a rule definition cannot be stored, field by field. */
export function definitionViolations(definition: RuleDefinition): FieldViolation[] {
  const violations: FieldViolation[] = [];
  text(definition.name, 'name', violations, 200);

  return [
    ...violations,
    ...triggerViolations(definition.trigger),
    ...(Array.isArray(definition.conditions)
      ? conditionViolations(definition.conditions)
      : [{ field: 'conditions', reason: 'must be an array' }]),
    ...actionsViolations(definition.actions),
  ];
}
