import {
  conflict,
  FieldViolation,
  illegalState,
  notFound,
  RelateError,
  validationError,
} from '@relate/errors';

/** Error codes of the activities service; the gateway maps them by category. */
export const ActivitiesErrorCodes = {
  validationFailed: 'ACTIVITIES.VALIDATION_FAILED',
  alreadyExists: 'ACTIVITIES.ALREADY_EXISTS',
  activityNotFound: 'ACTIVITIES.ACTIVITY_NOT_FOUND',
  taskNotFound: 'ACTIVITIES.TASK_NOT_FOUND',
  recordNotFound: 'ACTIVITIES.RECORD_NOT_FOUND',
  taskDone: 'ACTIVITIES.TASK_DONE',
} as const;

export function invalidActivitiesInput(violations: FieldViolation[]): RelateError {
  return validationError(ActivitiesErrorCodes.validationFailed, violations);
}

/** Throws one validation error listing every violation, if there is any. */
export function assertNoViolations(violations: FieldViolation[]): void {
  if (violations.length > 0) {
    throw invalidActivitiesInput(violations);
  }
}

/** Throws a validation error about one field. */
export function rejectField(field: string, reason: string): never {
  throw invalidActivitiesInput([{ field, reason }]);
}

export function alreadyExists(what: string, id: string): RelateError {
  return conflict(ActivitiesErrorCodes.alreadyExists, `${what} ${id} already exists`, { id });
}

export function activityNotFound(activityId: string): RelateError {
  return notFound(ActivitiesErrorCodes.activityNotFound, 'Activity', activityId);
}

export function taskNotFound(taskId: string): RelateError {
  return notFound(ActivitiesErrorCodes.taskNotFound, 'Task', taskId);
}

export function recordNotFound(what: string, id: string): RelateError {
  return notFound(ActivitiesErrorCodes.recordNotFound, what, id);
}

export function taskDone(taskId: string): RelateError {
  return illegalState(ActivitiesErrorCodes.taskDone, 'The task is done: reopen it first', {
    taskId,
  });
}
