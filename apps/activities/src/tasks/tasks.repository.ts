import { Page, TaskListQuery, TaskPriority, TaskStatus, TaskView } from '@relate/contracts';
import { pagingOf, selectOne, selectPage, SqlFilter } from '@relate/service-kit';
import { Pool } from 'pg';

import { rangeBoundOf } from '../activities.rules';

interface TaskRow {
  task_id: string;
  title: string;
  due_at: Date;
  assignee_id: string | null;
  priority: TaskPriority;
  status: TaskStatus;
  person_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  notes: string | null;
  reminder: boolean;
  source_type: 'user' | 'rule';
  rule_id: string | null;
  firing_id: string | null;
  created_at: Date;
  completed_at: Date | null;
  outcome: string | null;
  version: number;
}

const TASKS = 'SELECT * FROM activities.tasks t';

const EQUALITY_FILTERS = [
  ['assigneeId', 't.assignee_id'],
  ['status', 't.status'],
  ['personId', 't.person_id'],
  ['companyId', 't.company_id'],
  ['dealId', 't.deal_id'],
] as const;

/**
 * At most this many tasks per follow-up list; the rest are for the task list to page.
 * TODO(#3): follow-up lists are capped, not paged.
 */
export const FOLLOW_UP_LIMIT = 200;

export function toTaskView(row: TaskRow): TaskView {
  return {
    id: row.task_id,
    title: row.title,
    dueAt: row.due_at.toISOString(),
    assigneeId: row.assignee_id,
    priority: row.priority,
    status: row.status,
    personId: row.person_id,
    companyId: row.company_id,
    dealId: row.deal_id,
    notes: row.notes,
    reminder: row.reminder,
    source:
      row.source_type === 'rule'
        ? { type: 'rule', ruleId: row.rule_id ?? '', firingId: row.firing_id ?? '' }
        : { type: 'user' },
    createdAt: row.created_at.toISOString(),
    completedAt: row.completed_at?.toISOString() ?? null,
    outcome: row.outcome,
    version: row.version,
  };
}

function filterOf(tenantId: string, query: TaskListQuery): SqlFilter {
  const filter = SqlFilter.forTenant('t.tenant_id', tenantId);
  for (const [field, column] of EQUALITY_FILTERS) {
    filter.equalsIfGiven(column, query[field]);
  }
  if (query.dueFrom !== undefined) {
    const from = rangeBoundOf('dueFrom', query.dueFrom, 'from');
    filter.bind(from, (bound) => `t.due_at >= ${bound}::timestamptz`);
  }
  if (query.dueTo !== undefined) {
    const to = rangeBoundOf('dueTo', query.dueTo, 'to');
    filter.bind(to, (bound) => `t.due_at <= ${bound}::timestamptz`);
  }

  return filter;
}

/** Reads of the tasks read model; every query is scoped to one tenant. */
export class TasksRepository {
  constructor(private readonly pool: Pool) {}

  find(tenantId: string, taskId: string): Promise<TaskView | undefined> {
    const sql = `${TASKS} WHERE t.tenant_id = $1 AND t.task_id = $2`;

    return selectOne(this.pool, sql, [tenantId, taskId], toTaskView);
  }

  list(tenantId: string, query: TaskListQuery): Promise<Page<TaskView>> {
    return selectPage(this.pool, {
      select: TASKS,
      countFrom: 'activities.tasks t',
      filter: filterOf(tenantId, query),
      orderBy: 't.due_at, t.task_id',
      paging: pagingOf(query),
      toView: toTaskView,
    });
  }

  /** Open tasks of an assignee due in [from, to), earliest first. */
  async openDue(tenantId: string, assigneeId: string, from: Date | null, to: Date) {
    const { rows } = await this.pool.query<TaskRow>(
      `${TASKS} WHERE t.tenant_id = $1 AND t.assignee_id = $2 AND t.status = 'open'
         AND ($3::timestamptz IS NULL OR t.due_at >= $3) AND t.due_at < $4
       ORDER BY t.due_at, t.task_id LIMIT ${FOLLOW_UP_LIMIT}`,
      [tenantId, assigneeId, from, to],
    );

    return rows.map(toTaskView);
  }
}
