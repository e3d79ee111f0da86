import { Controller, Get, Query } from '@nestjs/common';
import { Pool } from 'pg';

import { Page, ReminderListQuery, ReminderState, ReminderView } from '@relate/contracts';
import { pagingOf, selectPage, SqlFilter, TenantId } from '@relate/service-kit';

import { derivedId } from '../engine/derived-id';

interface TimerRow {
  task_id: string;
  due_at: Date;
  assignee_id: string | null;
  wants_reminder: boolean;
  open: boolean;
  claimed_due_at: Date | null;
  state: string | null;
  reason: string | null;
  sent_at: Date | null;
  message_id: string | null;
}

function toView(row: TimerRow): ReminderView {
  const dueAt = row.due_at.toISOString();
  const claimed = row.claimed_due_at?.getTime() === row.due_at.getTime();
  const state: ReminderState = claimed
    ? (row.state as ReminderState)
    : row.open && row.wants_reminder
      ? 'scheduled'
      : 'cancelled';

  return {
    taskId: row.task_id,
    reminderId: derivedId('reminder', row.task_id, dueAt),
    dueAt,
    assigneeId: row.assignee_id,
    state,
    reason: claimed ? row.reason : null,
    sentAt: claimed ? (row.sent_at?.toISOString() ?? null) : null,
    messageId: claimed ? row.message_id : null,
  };
}

@Controller('reminders')
export class RemindersController {
  constructor(private readonly pool: Pool) {}

  @Get()
  list(
    @TenantId() tenantId: string,
    @Query() query: ReminderListQuery,
  ): Promise<Page<ReminderView>> {
    const filter = SqlFilter.forTenant('tenant_id', tenantId).equalsIfGiven(
      'task_id',
      query.taskId,
    );

    return selectPage(this.pool, {
      select: 'SELECT * FROM automation.reminder_timers',
      countFrom: 'automation.reminder_timers',
      filter,
      orderBy: 'due_at, task_id',
      paging: pagingOf(query),
      toView,
    });
  }
}
