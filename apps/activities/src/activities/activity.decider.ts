import {
  ActivitiesEventDataMap,
  ActivityCorrectedData,
  ActivityDirection,
  ActivityEvent,
  ActivityEventType,
  ActivityKind,
  INITIAL_SCHEMA_VERSION,
  NewEventOf,
  RelatedRecords,
} from '@relate/contracts';
import { assertUnreachable, FieldViolation } from '@relate/errors';
import { Decider } from '@relate/service-kit';

import {
  activityNotFound,
  alreadyExists,
  assertNoViolations,
  rejectField,
} from '../activities.errors';
import { hasRelatedRecord, optionalText, pastInstantOf, TextLimits } from '../activities.rules';

export const ACTIVITY_KINDS: readonly ActivityKind[] = ['call', 'email', 'meeting', 'note'];
export const ACTIVITY_DIRECTIONS: readonly ActivityDirection[] = ['inbound', 'outbound'];
export const MAX_DURATION_MINUTES = 1440;

export interface ActivityDetails {
  direction?: ActivityDirection | null;
  outcome?: string | null;
  durationMinutes?: number | null;
  ownerId?: string | null;
  subject?: string | null;
  body?: string | null;
}

export type ActivityCommand =
  | (ActivityDetails & {
      type: 'LogActivity';
      activityId: string;
      kind: ActivityKind;
      occurredAt: string;
      related: RelatedRecords;
    })
  | (ActivityDetails & { type: 'CorrectActivity'; activityId: string; occurredAt?: string })
  | { type: 'DeleteActivity'; activityId: string };

export interface ActivityState {
  status: 'unknown' | 'logged' | 'deleted';
  kind: ActivityKind;
  occurredAt: string;
  direction: ActivityDirection | null;
  outcome: string | null;
  durationMinutes: number | null;
  ownerId: string | null;
  subject: string | null;
  body: string | null;
}

export const initialActivityState: ActivityState = {
  status: 'unknown',
  kind: 'note',
  occurredAt: '',
  direction: null,
  outcome: null,
  durationMinutes: null,
  ownerId: null,
  subject: null,
  body: null,
};

type NewActivityEvent = NewEventOf<ActivitiesEventDataMap, ActivityEventType>;

function event<K extends ActivityEventType>(
  type: K,
  data: ActivitiesEventDataMap[K],
  occurredAt?: string,
): NewActivityEvent {
  const base = { type, schemaVersion: INITIAL_SCHEMA_VERSION, data };

  return (occurredAt === undefined ? base : { ...base, occurredAt }) as NewActivityEvent;
}

function directionViolations(
  kind: ActivityKind,
  direction: ActivityDirection | null | undefined,
): FieldViolation[] {
  if (direction == null) {
    return [];
  }
  if (!ACTIVITY_DIRECTIONS.includes(direction)) {
    return [{ field: 'direction', reason: 'must be inbound or outbound' }];
  }

  return kind === 'note' ? [{ field: 'direction', reason: 'a note has no direction' }] : [];
}

function durationViolations(minutes: number | null | undefined): FieldViolation[] {
  const valid =
    minutes == null ||
    (Number.isInteger(minutes) && minutes >= 0 && minutes <= MAX_DURATION_MINUTES);

  return valid
    ? []
    : [{ field: 'durationMinutes', reason: `must be an integer 0..${MAX_DURATION_MINUTES}` }];
}

/** The checked, trimmed values of the details a command gives (undefined: not given). */
function checkedDetails(
  kind: ActivityKind,
  details: ActivityDetails,
  violations: FieldViolation[],
) {
  violations.push(...directionViolations(kind, details.direction));
  violations.push(...durationViolations(details.durationMinutes));
  const text = (field: 'outcome' | 'subject' | 'body', limit: number) =>
    details[field] === undefined
      ? undefined
      : optionalText(field, details[field], limit, violations);

  return {
    direction: details.direction,
    durationMinutes: details.durationMinutes,
    ownerId: details.ownerId === undefined ? undefined : details.ownerId?.trim() || null,
    outcome: text('outcome', TextLimits.outcome),
    subject: text('subject', TextLimits.subject),
    body: text('body', TextLimits.body),
  };
}

function log(
  command: Extract<ActivityCommand, { type: 'LogActivity' }>,
  state: ActivityState,
  now: Date,
): NewActivityEvent[] {
  if (state.status !== 'unknown') {
    throw alreadyExists('Activity', command.activityId);
  }
  if (!ACTIVITY_KINDS.includes(command.kind)) {
    rejectField('kind', `must be one of ${ACTIVITY_KINDS.join(', ')}`);
  }
  const violations: FieldViolation[] = [];
  const details = checkedDetails(command.kind, command, violations);
  if (!hasRelatedRecord(command.related)) {
    violations.push({ field: 'personId', reason: 'one of personId, companyId, dealId is needed' });
  }
  assertNoViolations(violations);
  const occurredAt = pastInstantOf('occurredAt', command.occurredAt, now);

  return [
    event(
      'ActivityLogged',
      {
        activityId: command.activityId,
        kind: command.kind,
        direction: details.direction ?? null,
        outcome: details.outcome ?? null,
        durationMinutes: details.durationMinutes ?? null,
        ownerId: details.ownerId ?? null,
        related: command.related,
        personal: { subject: details.subject ?? null, body: details.body ?? null },
      },
      occurredAt,
    ),
  ];
}

/**
 * Only what differs from the current state is a correction.
 * TODO(#3): the records an activity is about cannot be corrected (ActivityCorrected has no
 * `related`): delete and log it again.
 */
function correct(
  command: Extract<ActivityCommand, { type: 'CorrectActivity' }>,
  state: ActivityState,
  now: Date,
): NewActivityEvent[] {
  const violations: FieldViolation[] = [];
  const details = checkedDetails(state.kind, command, violations);
  assertNoViolations(violations);
  const changes: ActivityCorrectedData['changes'] = {};
  const personal: Partial<{ subject: string | null; body: string | null }> = {};
  if (command.occurredAt !== undefined) {
    const occurredAt = pastInstantOf('occurredAt', command.occurredAt, now);
    if (occurredAt !== state.occurredAt) {
      changes.occurredAt = occurredAt;
    }
  }
  for (const field of ['direction', 'outcome', 'durationMinutes', 'ownerId'] as const) {
    if (details[field] !== undefined && details[field] !== state[field]) {
      Object.assign(changes, { [field]: details[field] });
    }
  }
  for (const field of ['subject', 'body'] as const) {
    if (details[field] !== undefined && details[field] !== state[field]) {
      personal[field] = details[field];
    }
  }
  if (Object.keys(personal).length > 0) {
    changes.personal = personal;
  }

  return Object.keys(changes).length === 0
    ? []
    : [event('ActivityCorrected', { activityId: command.activityId, changes })];
}

function decide(command: ActivityCommand, state: ActivityState, now: Date): NewActivityEvent[] {
  if (command.type === 'LogActivity') {
    return log(command, state, now);
  }
  // A deleted activity is gone for its users: correcting or deleting it again finds nothing.
  if (state.status !== 'logged') {
    throw activityNotFound(command.activityId);
  }
  switch (command.type) {
    case 'CorrectActivity':
      return correct(command, state, now);
    case 'DeleteActivity':
      return [event('ActivityDeleted', { activityId: command.activityId })];
    default:
      return assertUnreachable(command);
  }
}

function evolve(
  state: ActivityState,
  event: ActivityEvent & { occurredAt?: string },
): ActivityState {
  switch (event.type) {
    case 'ActivityLogged': {
      const { kind, direction, outcome, durationMinutes, ownerId, personal } = event.data;

      return {
        status: 'logged',
        kind,
        occurredAt: event.occurredAt ?? '',
        ...{ direction, outcome, durationMinutes, ownerId },
        subject: personal.subject,
        body: personal.body,
      };
    }
    case 'ActivityCorrected': {
      const { personal, ...changes } = event.data.changes;

      return { ...state, ...changes, ...personal };
    }
    case 'ActivityDeleted':
      return { ...state, status: 'deleted' };
    default:
      return assertUnreachable(event);
  }
}

export const activityDecider: Decider<ActivityCommand, ActivityState, ActivityEvent> = {
  initialState: initialActivityState,
  decide,
  evolve,
};
