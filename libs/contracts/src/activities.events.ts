/**
 * The activities context's public event catalogue (topic `crm.activities.events`): what the
 * sales team did (calls, emails, meetings, notes) and what it plans to do (tasks).
 *
 * Personal data: free text written about people (an activity's body, a task's notes) travels
 * only inside the `personal` object of an event's data, so that it can be erased without
 * rewriting history (see contacts.events.ts). People, companies, deals and reps appear by id.
 *
 * Business time is the envelope's `occurredAt`: when a call took place, not when it was logged.
 * Every type is at schemaVersion 1 and only grows compatibly.
 */
import { EventEnvelope } from './envelope';
import { DomainEventOf, EnvelopeOf, NewEventOf, tenantStreamId } from './event-catalogue';

/** Stream types and stream id prefixes of the activities context (see {@link tenantStreamId}). */
export const ActivitiesStreams = {
  activity: { type: 'Activity', prefix: 'activity-' },
  task: { type: 'Task', prefix: 'task-' },
} as const;

export function activityStreamId(tenantId: string, activityId: string): string {
  return tenantStreamId(ActivitiesStreams.activity.prefix, tenantId, activityId);
}

export function taskStreamId(tenantId: string, taskId: string): string {
  return tenantStreamId(ActivitiesStreams.task.prefix, tenantId, taskId);
}

/** The records an activity or a task is about; at least one is set. */
export interface RelatedRecords {
  personId: string | null;
  companyId: string | null;
  dealId: string | null;
}

// ---- Activity -----------------------------------------------------------------------------

export type ActivityKind = 'call' | 'email' | 'meeting' | 'note';

/** Inbound: the customer reached us. Notes have no direction. */
export type ActivityDirection = 'inbound' | 'outbound';

/** Free text about people: erasable as a whole. */
export interface ActivityPersonalData {
  subject: string | null;
  body: string | null;
}

/** An activity took place at the envelope's `occurredAt`. */
export interface ActivityLoggedData {
  activityId: string;
  kind: ActivityKind;
  direction: ActivityDirection | null;
  /** E.g. `connected`, `left-voicemail`, `no-answer`, `held`, `no-show`: the team's words. */
  outcome: string | null;
  durationMinutes: number | null;
  /** The sales rep who talked to the customer (or wrote the note). */
  ownerId: string | null;
  related: RelatedRecords;
  personal: ActivityPersonalData;
}

export interface ActivityCorrectedData {
  activityId: string;
  changes: Partial<
    Pick<ActivityLoggedData, 'direction' | 'outcome' | 'durationMinutes' | 'ownerId'> & {
      occurredAt: string;
      personal: Partial<ActivityPersonalData>;
    }
  >;
}

export interface ActivityDeletedData {
  activityId: string;
}

// ---- Task ---------------------------------------------------------------------------------

export type TaskPriority = 'low' | 'normal' | 'high';

/** Who asked for a task: a user, or an automation rule firing (so one can see why it exists). */
export type TaskSource = { type: 'user' } | { type: 'rule'; ruleId: string; firingId: string };

export interface TaskPersonalData {
  notes: string | null;
}

export interface TaskCreatedData {
  taskId: string;
  title: string;
  /** ISO 8601 date and time the task is due. */
  dueAt: string;
  assigneeId: string | null;
  priority: TaskPriority;
  related: RelatedRecords;
  /** Whether the assignee gets a reminder email at `dueAt`. */
  reminder: boolean;
  source: TaskSource;
  personal: TaskPersonalData;
}

export interface TaskDetailsChangedData {
  taskId: string;
  changes: Partial<Pick<TaskCreatedData, 'title' | 'priority' | 'reminder'>> & {
    personal?: Partial<TaskPersonalData>;
  };
}

export interface TaskCompletedData {
  taskId: string;
  /** Business time of completion is the envelope's `occurredAt`. */
  outcome: string | null;
}

export interface TaskReopenedData {
  taskId: string;
}

export interface TaskRescheduledData {
  taskId: string;
  dueAt: string;
  previousDueAt: string;
}

export interface TaskReassignedData {
  taskId: string;
  assigneeId: string;
  previousAssigneeId: string | null;
}

// ---- Catalogue ----------------------------------------------------------------------------

/** Every activities event type with its data. The keys are the persisted type strings. */
export interface ActivitiesEventDataMap {
  ActivityLogged: ActivityLoggedData;
  ActivityCorrected: ActivityCorrectedData;
  ActivityDeleted: ActivityDeletedData;
  TaskCreated: TaskCreatedData;
  TaskDetailsChanged: TaskDetailsChangedData;
  TaskCompleted: TaskCompletedData;
  TaskReopened: TaskReopenedData;
  TaskRescheduled: TaskRescheduledData;
  TaskReassigned: TaskReassignedData;
}

export type ActivitiesEventType = keyof ActivitiesEventDataMap;

/** The persisted type strings, written out: never derive them from class names. */
export const ActivitiesEventTypes = [
  'ActivityLogged',
  'ActivityCorrected',
  'ActivityDeleted',
  'TaskCreated',
  'TaskDetailsChanged',
  'TaskCompleted',
  'TaskReopened',
  'TaskRescheduled',
  'TaskReassigned',
] as const satisfies readonly ActivitiesEventType[];

export type ActivityEventType = 'ActivityLogged' | 'ActivityCorrected' | 'ActivityDeleted';
export type TaskEventType = Exclude<ActivitiesEventType, ActivityEventType>;

export type ActivitiesEvent = DomainEventOf<ActivitiesEventDataMap>;
export type ActivityEvent = DomainEventOf<ActivitiesEventDataMap, ActivityEventType>;
export type TaskEvent = DomainEventOf<ActivitiesEventDataMap, TaskEventType>;
export type NewActivitiesEvent = NewEventOf<ActivitiesEventDataMap>;
export type ActivitiesEventEnvelope = EnvelopeOf<ActivitiesEventDataMap>;

export function isActivitiesEventType(type: string): type is ActivitiesEventType {
  return (ActivitiesEventTypes as readonly string[]).includes(type);
}

/** Whether a stored event is one of this catalogue's; a consumer may also see other topics. */
export function isActivitiesEnvelope(envelope: EventEnvelope): envelope is ActivitiesEventEnvelope {
  return isActivitiesEventType(envelope.type);
}
