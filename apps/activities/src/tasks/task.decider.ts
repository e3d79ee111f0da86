import {
  ActivitiesEventDataMap,
  INITIAL_SCHEMA_VERSION,
  NewEventOf,
  RelatedRecords,
  TaskDetailsChangedData,
  TaskEvent,
  TaskEventType,
  TaskPriority,
  TaskSource,
} from '@relate/contracts';
import { assertUnreachable, FieldViolation } from '@relate/errors';
import { Decider } from '@relate/service-kit';

import {
  alreadyExists,
  assertNoViolations,
  rejectField,
  taskDone,
  taskNotFound,
} from '../activities.errors';
import { instantOf, optionalText, requiredText, TextLimits } from '../activities.rules';

export const TASK_PRIORITIES: readonly TaskPriority[] = ['low', 'normal', 'high'];

export interface TaskChanges {
  title?: string;
  priority?: TaskPriority;
  notes?: string | null;
  reminder?: boolean;
}

/**
 * Completing a done task, reopening an open one, rescheduling to the same time and assigning to
 * the current assignee are idempotent no-ops: a retried click must not fail. Rescheduling or
 * reassigning a done task is refused (illegal state): reopen it first.
 */
export type TaskCommand =
  | {
      type: 'CreateTask';
      taskId: string;
      title: string;
      dueAt: string;
      assigneeId: string | null;
      priority: TaskPriority;
      related: RelatedRecords;
      notes: string | null;
      reminder: boolean;
      source: TaskSource;
    }
  | { type: 'ChangeTaskDetails'; taskId: string; changes: TaskChanges }
  | { type: 'CompleteTask'; taskId: string; outcome: string | null }
  | { type: 'ReopenTask'; taskId: string }
  | { type: 'RescheduleTask'; taskId: string; dueAt: string }
  | { type: 'ReassignTask'; taskId: string; assigneeId: string };

export interface TaskState {
  status: 'unknown' | 'open' | 'done';
  title: string;
  dueAt: string;
  assigneeId: string | null;
  priority: TaskPriority;
  notes: string | null;
  reminder: boolean;
}

export const initialTaskState: TaskState = {
  status: 'unknown',
  title: '',
  dueAt: '',
  assigneeId: null,
  priority: 'normal',
  notes: null,
  reminder: true,
};

type NewTaskEvent = NewEventOf<ActivitiesEventDataMap, TaskEventType>;

function event<K extends TaskEventType>(type: K, data: ActivitiesEventDataMap[K]): NewTaskEvent {
  return { type, schemaVersion: INITIAL_SCHEMA_VERSION, data } as NewTaskEvent;
}

function priorityViolations(priority: TaskPriority | undefined): FieldViolation[] {
  return priority === undefined || TASK_PRIORITIES.includes(priority)
    ? []
    : [{ field: 'priority', reason: `must be one of ${TASK_PRIORITIES.join(', ')}` }];
}

function assigneeOf(assigneeId: string | null): string | null {
  return assigneeId?.trim() || null;
}

function create(
  command: Extract<TaskCommand, { type: 'CreateTask' }>,
  state: TaskState,
): NewTaskEvent[] {
  if (state.status !== 'unknown') {
    throw alreadyExists('Task', command.taskId);
  }
  const violations = priorityViolations(command.priority);
  const title = requiredText('title', command.title, TextLimits.title, violations);
  const notes = optionalText('notes', command.notes, TextLimits.notes, violations);
  assertNoViolations(violations);
  const dueAt = instantOf('dueAt', command.dueAt);
  const { taskId, priority, related, reminder, source } = command;
  const assigneeId = assigneeOf(command.assigneeId);

  return [
    event('TaskCreated', {
      ...{ taskId, title, dueAt, assigneeId, priority, related, reminder, source },
      personal: { notes },
    }),
  ];
}

function changeDetails(
  command: Extract<TaskCommand, { type: 'ChangeTaskDetails' }>,
  state: TaskState,
): NewTaskEvent[] {
  const { changes } = command;
  const violations = priorityViolations(changes.priority);
  const title =
    changes.title === undefined
      ? undefined
      : requiredText('title', changes.title, TextLimits.title, violations);
  const notes =
    changes.notes === undefined
      ? undefined
      : optionalText('notes', changes.notes, TextLimits.notes, violations);
  assertNoViolations(violations);
  const changed: TaskDetailsChangedData['changes'] = {};
  if (title !== undefined && title !== state.title) {
    changed.title = title;
  }
  if (changes.priority !== undefined && changes.priority !== state.priority) {
    changed.priority = changes.priority;
  }
  if (changes.reminder !== undefined && changes.reminder !== state.reminder) {
    changed.reminder = changes.reminder;
  }
  if (notes !== undefined && notes !== state.notes) {
    changed.personal = { notes };
  }

  return Object.keys(changed).length === 0
    ? []
    : [event('TaskDetailsChanged', { taskId: command.taskId, changes: changed })];
}

function complete(
  command: Extract<TaskCommand, { type: 'CompleteTask' }>,
  state: TaskState,
): NewTaskEvent[] {
  const violations: FieldViolation[] = [];
  const outcome = optionalText('outcome', command.outcome, TextLimits.outcome, violations);
  assertNoViolations(violations);

  return state.status === 'done'
    ? []
    : [event('TaskCompleted', { taskId: command.taskId, outcome })];
}

function reschedule(
  command: Extract<TaskCommand, { type: 'RescheduleTask' }>,
  state: TaskState,
): NewTaskEvent[] {
  const dueAt = instantOf('dueAt', command.dueAt);
  if (state.status === 'done') {
    throw taskDone(command.taskId);
  }
  if (dueAt === state.dueAt) {
    return [];
  }

  return [event('TaskRescheduled', { taskId: command.taskId, dueAt, previousDueAt: state.dueAt })];
}

function reassign(
  command: Extract<TaskCommand, { type: 'ReassignTask' }>,
  state: TaskState,
): NewTaskEvent[] {
  const assigneeId = assigneeOf(command.assigneeId) ?? rejectField('assigneeId', 'must be given');
  if (state.status === 'done') {
    throw taskDone(command.taskId);
  }
  if (assigneeId === state.assigneeId) {
    return [];
  }
  const previousAssigneeId = state.assigneeId;

  return [event('TaskReassigned', { taskId: command.taskId, assigneeId, previousAssigneeId })];
}

function decide(command: TaskCommand, state: TaskState): NewTaskEvent[] {
  if (command.type === 'CreateTask') {
    return create(command, state);
  }
  if (state.status === 'unknown') {
    throw taskNotFound(command.taskId);
  }
  switch (command.type) {
    case 'ChangeTaskDetails':
      return changeDetails(command, state);
    case 'CompleteTask':
      return complete(command, state);
    case 'ReopenTask':
      return state.status === 'open' ? [] : [event('TaskReopened', { taskId: command.taskId })];
    case 'RescheduleTask':
      return reschedule(command, state);
    case 'ReassignTask':
      return reassign(command, state);
    default:
      return assertUnreachable(command);
  }
}

function evolve(state: TaskState, event: TaskEvent): TaskState {
  switch (event.type) {
    case 'TaskCreated': {
      const { title, dueAt, assigneeId, priority, reminder, personal } = event.data;

      return {
        status: 'open',
        title,
        dueAt,
        assigneeId,
        priority,
        reminder,
        notes: personal.notes,
      };
    }
    case 'TaskDetailsChanged': {
      const { personal, ...changes } = event.data.changes;

      return { ...state, ...changes, ...personal };
    }
    case 'TaskCompleted':
      return { ...state, status: 'done' };
    case 'TaskReopened':
      return { ...state, status: 'open' };
    case 'TaskRescheduled':
      return { ...state, dueAt: event.data.dueAt };
    case 'TaskReassigned':
      return { ...state, assigneeId: event.data.assigneeId };
    default:
      return assertUnreachable(event);
  }
}

export const taskDecider: Decider<TaskCommand, TaskState, TaskEvent> = {
  initialState: initialTaskState,
  decide,
  evolve,
};
