import { EventEnvelope, isActivitiesEnvelope } from '@relate/contracts';
import { Projection } from '@relate/messaging';
import { assertKnownSchema } from '@relate/service-kit';
import { PoolClient } from 'pg';

import { trackRepEmail } from '../engine/engine-state';

/**
 * Timers and their send state. Not a read model: the scheduler writes the claim columns, and a
 * rebuild must not drop them (a dropped claim column would be re-derived from the reminder
 * streams, but we keep it simple: no rebuild touches this table).
 */
export const TIMERS_MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS automation;
  CREATE TABLE IF NOT EXISTS automation.reminder_timers (
    tenant_id text NOT NULL,
    task_id text NOT NULL,
    title text NOT NULL,
    due_at timestamptz NOT NULL,
    assignee_id text,
    wants_reminder boolean NOT NULL,
    open boolean NOT NULL,
    claimed_due_at timestamptz,
    reminder_id text,
    state text,
    reason text,
    sent_at timestamptz,
    message_id text,
    PRIMARY KEY (tenant_id, task_id)
  );
  CREATE INDEX IF NOT EXISTS reminder_timers_due ON automation.reminder_timers (due_at)
    WHERE open AND wants_reminder;
`;

const UPDATES: Record<string, (d: Record<string, unknown>) => [string, unknown] | undefined> = {
  TaskRescheduled: (d) => ['due_at', d.dueAt],
  TaskReassigned: (d) => ['assignee_id', d.assigneeId],
  TaskCompleted: () => ['open', false],
  TaskReopened: () => ['open', true],
};

/**
 * Keeps a timer per task from the activities topic (due time, assignee, reminder flag, open or
 * done) and the reps' emails from the contacts topic; the reminder scheduler sends what is due.
 */
export class ReminderTimersReactor implements Projection {
  readonly name = 'automation-reminder-timers';

  constructor(readonly topics: string[]) {}

  async migrate(client: PoolClient): Promise<void> {
    await client.query(TIMERS_MIGRATION);
  }

  async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    if (event.type === 'SalesRepRegistered' || event.type === 'SalesRepDetailsChanged') {
      assertKnownSchema(event);
      await trackRepEmail(event, client);

      return;
    }
    if (!isActivitiesEnvelope(event)) {
      return;
    }
    assertKnownSchema(event);
    if (event.type === 'TaskCreated') {
      const { taskId, title, dueAt, assigneeId, reminder } = event.data;
      await client.query(
        `INSERT INTO automation.reminder_timers (tenant_id, task_id, title, due_at, assignee_id,
           wants_reminder, open)
         VALUES ($1, $2, $3, $4, $5, $6, true) ON CONFLICT DO NOTHING`,
        [event.tenantId, taskId, title, dueAt, assigneeId, reminder],
      );

      return;
    }
    if (event.type === 'TaskDetailsChanged') {
      const { title, reminder } = event.data.changes;
      await client.query(
        `UPDATE automation.reminder_timers SET title = coalesce($3, title),
           wants_reminder = coalesce($4, wants_reminder)
         WHERE tenant_id = $1 AND task_id = $2`,
        [event.tenantId, event.data.taskId, title ?? null, reminder ?? null],
      );

      return;
    }
    const update = UPDATES[event.type]?.(event.data as unknown as Record<string, unknown>);
    if (update !== undefined) {
      const [column, value] = update;
      await client.query(
        `UPDATE automation.reminder_timers SET ${column} = $3
         WHERE tenant_id = $1 AND task_id = $2`,
        [event.tenantId, (event.data as { taskId: string }).taskId, value],
      );
    }
  }
}
