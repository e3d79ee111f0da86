import { TaskCreatedData, TaskEvent } from '@relate/contracts';
import { deciderSpecification } from '@relate/service-kit';

import { TaskCommand, taskDecider } from './task.decider';

const taskId = '0190a0b0-0000-7000-8000-0000000000c1';
const related = { personId: null, companyId: null, dealId: '0190a0b0-0000-7000-8000-0000000000d1' };
const INVALID = { code: 'ACTIVITIES.VALIDATION_FAILED', category: 'validation' };
const spec = deciderSpecification(taskDecider);

const created = (overrides: Partial<TaskCreatedData> = {}): TaskEvent => ({
  type: 'TaskCreated',
  data: {
    taskId,
    title: 'Call back',
    dueAt: '2026-03-05T09:00:00.000Z',
    assigneeId: 'rep-1',
    priority: 'normal',
    related,
    reminder: true,
    source: { type: 'user' },
    personal: { notes: null },
    ...overrides,
  },
});
const completed: TaskEvent = { type: 'TaskCompleted', data: { taskId, outcome: null } };

const create = (overrides: Partial<Extract<TaskCommand, { type: 'CreateTask' }>> = {}) =>
  ({
    type: 'CreateTask',
    taskId,
    title: ' Call back ',
    dueAt: '2026-03-05T10:00:00+01:00',
    assigneeId: 'rep-1',
    priority: 'normal',
    related,
    notes: '',
    reminder: true,
    source: { type: 'user' },
    ...overrides,
  }) as TaskCommand;

describe('task decider', () => {
  it('creates a task due at a UTC instant, trimmed, with its source', () => {
    spec.given([]).when(create()).then([created()]);
    const source = { type: 'rule' as const, ruleId: 'r1', firingId: 'f1' };
    spec
      .given([])
      .when(create({ source, dueAt: '2020-01-01T00:00:00Z' }))
      .then([created({ source, dueAt: '2020-01-01T00:00:00.000Z' })]);
  });

  it('refuses an empty title, an unknown priority and a due date without time', () => {
    spec
      .given([])
      .when(create({ title: ' ', priority: 'urgent' as never }))
      .thenThrows({
        ...INVALID,
        violations: [
          { field: 'priority', reason: 'must be one of low, normal, high' },
          { field: 'title', reason: 'must not be empty' },
        ],
      });
    spec
      .given([])
      .when(create({ dueAt: '2026-03-05' }))
      .thenThrows({ ...INVALID, violations: [{ field: 'dueAt', reason: expect.any(String) }] });
  });

  it('refuses a due time PostgreSQL cannot store: year 10000 or year 0 once in UTC', () => {
    // Accepted before, these parked TaskCreated/TaskRescheduled on the dead-letter topic (22009).
    const yearRange = { field: 'dueAt', reason: 'must be in the years 0001 to 9999 (UTC)' };
    for (const dueAt of ['9999-12-31T23:59:59-14:00', '0001-01-01T00:00:00+01:00']) {
      spec
        .given([])
        .when(create({ dueAt }))
        .thenThrows({ ...INVALID, violations: [yearRange] });
      spec
        .given([created()])
        .when({ type: 'RescheduleTask', taskId, dueAt })
        .thenThrows({ ...INVALID, violations: [yearRange] });
    }
    spec
      .given([])
      .when(create({ dueAt: '9999-12-31T09:59:59-14:00' }))
      .then([created({ dueAt: '9999-12-31T23:59:59.000Z' })]);
  });

  it('refuses creating a task twice: a redelivered rule request conflicts', () => {
    spec
      .given([created()])
      .when(create())
      .thenThrows({ code: 'ACTIVITIES.ALREADY_EXISTS', category: 'conflict' });
  });

  it('changes only the details that differ', () => {
    spec
      .given([created()])
      .when({
        type: 'ChangeTaskDetails',
        taskId,
        changes: { title: 'Call back', priority: 'high', notes: 'Ask for budget' },
      })
      .then([
        {
          type: 'TaskDetailsChanged',
          data: { taskId, changes: { priority: 'high', personal: { notes: 'Ask for budget' } } },
        },
      ]);
  });

  it('completes an open task; completing a done task is a no-op', () => {
    spec
      .given([created()])
      .when({ type: 'CompleteTask', taskId, outcome: 'Sent the quote' })
      .then([{ type: 'TaskCompleted', data: { taskId, outcome: 'Sent the quote' } }]);
    spec
      .given([created(), completed])
      .when({ type: 'CompleteTask', taskId, outcome: null })
      .then([]);
  });

  it('reopens a done task; reopening an open one is a no-op', () => {
    spec
      .given([created(), completed])
      .when({ type: 'ReopenTask', taskId })
      .then([{ type: 'TaskReopened', data: { taskId } }]);
    spec.given([created()]).when({ type: 'ReopenTask', taskId }).then([]);
  });

  it('reschedules an open task, past or future, and refuses a done one', () => {
    spec
      .given([created()])
      .when({ type: 'RescheduleTask', taskId, dueAt: '2026-02-01T08:00:00Z' })
      .then([
        {
          type: 'TaskRescheduled',
          data: {
            taskId,
            dueAt: '2026-02-01T08:00:00.000Z',
            previousDueAt: '2026-03-05T09:00:00.000Z',
          },
        },
      ]);
    spec
      .given([created()])
      .when({ type: 'RescheduleTask', taskId, dueAt: '2026-03-05T09:00:00Z' })
      .then([]);
    spec
      .given([created(), completed])
      .when({ type: 'RescheduleTask', taskId, dueAt: '2026-04-01T08:00:00Z' })
      .thenThrows({ code: 'ACTIVITIES.TASK_DONE', category: 'illegal_state' });
    spec
      .given([created()])
      .when({ type: 'RescheduleTask', taskId, dueAt: 'tomorrow' })
      .thenThrows({ ...INVALID, violations: [{ field: 'dueAt', reason: expect.any(String) }] });
  });

  it('reassigns an open task to someone else only', () => {
    spec
      .given([created()])
      .when({ type: 'ReassignTask', taskId, assigneeId: 'rep-2' })
      .then([
        {
          type: 'TaskReassigned',
          data: { taskId, assigneeId: 'rep-2', previousAssigneeId: 'rep-1' },
        },
      ]);
    spec.given([created()]).when({ type: 'ReassignTask', taskId, assigneeId: 'rep-1' }).then([]);
    spec
      .given([created(), completed])
      .when({ type: 'ReassignTask', taskId, assigneeId: 'rep-2' })
      .thenThrows({ code: 'ACTIVITIES.TASK_DONE', category: 'illegal_state' });
  });

  it('finds no task to act on before it is created', () => {
    spec
      .given([])
      .when({ type: 'CompleteTask', taskId, outcome: null })
      .thenThrows({ code: 'ACTIVITIES.TASK_NOT_FOUND', category: 'not_found' });
  });
});
