import { illegalState, notFound, RelateError, serviceErrors, ServiceErrors } from '@relate/errors';

const errors = serviceErrors('ACTIVITIES');

/** Error codes of the activities service; the gateway maps them by category. */
export const ActivitiesErrorCodes = {
  ...errors.codes,
  activityNotFound: 'ACTIVITIES.ACTIVITY_NOT_FOUND',
  taskNotFound: 'ACTIVITIES.TASK_NOT_FOUND',
  recordNotFound: 'ACTIVITIES.RECORD_NOT_FOUND',
  taskDone: 'ACTIVITIES.TASK_DONE',
} as const;

export const invalidActivitiesInput = errors.invalidInput;
export const assertNoViolations = errors.assertNoViolations;
// Typed explicitly: only then does TypeScript treat a call as the end of the code path.
export const rejectField: ServiceErrors<'ACTIVITIES'>['rejectField'] = errors.rejectField;
export const alreadyExists = errors.alreadyExists;

export const activityNotFound = errors.notFoundOf(
  ActivitiesErrorCodes.activityNotFound,
  'Activity',
);
export const taskNotFound = errors.notFoundOf(ActivitiesErrorCodes.taskNotFound, 'Task');

export function recordNotFound(what: string, id: string): RelateError {
  return notFound(ActivitiesErrorCodes.recordNotFound, what, id);
}

export function taskDone(taskId: string): RelateError {
  return illegalState(ActivitiesErrorCodes.taskDone, 'The task is done: reopen it first', {
    taskId,
  });
}
