import {
  AutomationEventDataMap,
  DomainEventOf,
  EmailTemplateDefinedData,
  INITIAL_SCHEMA_VERSION,
  NewEvent,
} from '@relate/contracts';
import { assertUnreachable, conflict, FieldViolation } from '@relate/errors';
import { Decider } from '@relate/service-kit';

import { assertNoViolations, templateNotFound } from '../automation.errors';
import { unknownPlaceholders } from '../rules/rule-definition';

export type EmailTemplateEvent = DomainEventOf<
  AutomationEventDataMap,
  'EmailTemplateDefined' | 'EmailTemplateChanged'
>;

type Fields = Pick<EmailTemplateDefinedData, 'name' | 'subject' | 'body'>;

export type EmailTemplateCommand =
  | { type: 'DefineEmailTemplate'; templateId: string; fields: Fields }
  | { type: 'ChangeEmailTemplate'; templateId: string; changes: Partial<Fields> };

export interface EmailTemplateState {
  fields: Fields | null;
}

const LIMITS: Record<keyof Fields, number> = { name: 200, subject: 500, body: 20_000 };

function violationsOf(fields: Fields): FieldViolation[] {
  const violations: FieldViolation[] = [];
  for (const field of ['name', 'subject', 'body'] as const) {
    const value = fields[field];
    if (typeof value !== 'string' || value.trim() === '') {
      violations.push({ field, reason: 'must be a non-empty string' });
    } else if (value.length > LIMITS[field]) {
      violations.push({ field, reason: `must be at most ${LIMITS[field]} characters` });
    } else if (field !== 'name') {
      for (const name of unknownPlaceholders(value)) {
        violations.push({ field, reason: `unknown placeholder {{${name}}}` });
      }
    }
  }
  if (typeof fields.subject === 'string' && /[\r\n]/.test(fields.subject)) {
    violations.push({ field: 'subject', reason: 'must be one line' });
  }

  return violations;
}

function decide(command: EmailTemplateCommand, state: EmailTemplateState): NewEvent[] {
  const { templateId } = command;
  if (command.type === 'DefineEmailTemplate') {
    if (state.fields !== null) {
      throw conflict('AUTOMATION.ALREADY_EXISTS', `Email template ${templateId} already exists`);
    }
    assertNoViolations(violationsOf(command.fields));

    return [
      {
        type: 'EmailTemplateDefined',
        schemaVersion: INITIAL_SCHEMA_VERSION,
        data: { templateId, ...command.fields },
      },
    ];
  }
  if (state.fields === null) {
    throw templateNotFound(templateId);
  }
  const changes = Object.fromEntries(
    Object.entries(command.changes).filter(([, value]) => value !== undefined),
  ) as Partial<Fields>;
  assertNoViolations(violationsOf({ ...state.fields, ...changes }));

  return Object.keys(changes).length === 0
    ? []
    : [
        {
          type: 'EmailTemplateChanged',
          schemaVersion: INITIAL_SCHEMA_VERSION,
          data: { templateId, changes },
        },
      ];
}

function evolve(state: EmailTemplateState, event: EmailTemplateEvent): EmailTemplateState {
  switch (event.type) {
    case 'EmailTemplateDefined': {
      const { name, subject, body } = event.data;

      return { fields: { name, subject, body } };
    }
    case 'EmailTemplateChanged':
      return { fields: { ...state.fields!, ...event.data.changes } };
    default:
      return assertUnreachable(event);
  }
}

export const emailTemplateDecider: Decider<
  EmailTemplateCommand,
  EmailTemplateState,
  EmailTemplateEvent
> = { initialState: { fields: null }, decide, evolve };
