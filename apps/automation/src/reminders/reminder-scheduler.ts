import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Pool } from 'pg';

import { AutomationStreams, EventEnvelope, NewEvent, reminderStreamId } from '@relate/contracts';
import { Clock } from '@relate/event-store';
import { CLOCK } from '@relate/service-kit';

import { automationLogger, AutomationWiring } from '../automation.wiring';
import { derivedId } from '../engine/derived-id';
import { automationContext, sendOnce, SendOutcome } from '../mail/send-once';
import { PollingLoop } from '../scheduling/polling-loop';

/** How often the scheduler looks for due reminders. */
export const REMINDER_POLL_MS = Symbol('ReminderPollMs');

interface DueTimer {
  tenant_id: string;
  task_id: string;
  title: string;
  due_at: Date;
  assignee_id: string;
  email: string | null;
}

/**
 * Sends each due task reminder to the assignee's email, once: the send is claimed in the
 * reminder's stream (`reminder-<tenant>:<id>`, id from task and due time) before the SMTP
 * conversation, and the outcome recorded after. A restart re-reads the timers from the table,
 * so no reminder is lost; a claim already taken is never sent again. A claim whose send
 * crashed halfway (no outcome) is closed as `outcome-unknown` and not resent: at most once.
 */
@Injectable()
export class ReminderScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = automationLogger(ReminderScheduler.name);
  private readonly loop: PollingLoop;

  constructor(
    private readonly pool: Pool,
    private readonly wiring: AutomationWiring,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(REMINDER_POLL_MS) private readonly pollMs: number,
  ) {
    this.loop = new PollingLoop('reminder', this.pollMs, () => this.tick(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Sends every reminder due by now that is not claimed yet.
   * TODO(#3): no expiry: on a first start over old history, every overdue open task with a
   * reminder gets its mail at once.
   */
  async tick(): Promise<void> {
    const { rows } = await this.pool.query<DueTimer>(
      `SELECT t.tenant_id, t.task_id, t.title, t.due_at, t.assignee_id, r.email
       FROM automation.reminder_timers t
       LEFT JOIN automation.rep_emails r
         ON r.tenant_id = t.tenant_id AND r.sales_rep_id = t.assignee_id
       WHERE t.open AND t.wants_reminder AND t.assignee_id IS NOT NULL AND t.due_at <= $1
         AND t.claimed_due_at IS DISTINCT FROM t.due_at
       ORDER BY t.due_at LIMIT 100`,
      [this.clock.now()],
    );
    for (const timer of rows) {
      if (this.loop.stopped) {
        return;
      }
      await this.send(timer);
    }
  }

  private async send(timer: DueTimer): Promise<void> {
    const dueAt = timer.due_at.toISOString();
    const reminderId = derivedId('reminder', timer.task_id, dueAt);
    const streamId = reminderStreamId(timer.tenant_id, reminderId);
    const context = automationContext(timer.tenant_id, reminderId, null);
    const { task_id: taskId, assignee_id: assigneeId } = timer;
    const messageId = `reminder-${reminderId}`;
    const outcome = (result: SendOutcome): NewEvent =>
      result.sent
        ? { type: 'ReminderSent', schemaVersion: 1, data: { reminderId, taskId, ...result } }
        : {
            type: 'ReminderNotSent',
            schemaVersion: 1,
            data: { reminderId, taskId, reason: result.reason, error: result.error },
          };
    const claimed = await sendOnce({
      store: this.wiring.store,
      mailer: this.wiring.mailer,
      context,
      streamId,
      streamType: AutomationStreams.reminder.type,
      claim: {
        type: 'ReminderSendClaimed',
        schemaVersion: 1,
        data: { reminderId, taskId, dueAt, assigneeId, messageId },
      },
      mail: {
        to: timer.email,
        subject: `Reminder: ${timer.title}`,
        text: `Your task "${timer.title}" is due at ${dueAt}.`,
        messageId,
      },
      outcome,
    });
    if (claimed === 'abandoned') {
      this.logger.warn('reminder claim had no outcome; not resent', { reminderId });
    }
    await this.recordState(timer, reminderId, streamId);
  }

  private async recordState(timer: DueTimer, reminderId: string, streamId: string): Promise<void> {
    const events = await this.wiring.store.readStream(timer.tenant_id, streamId);
    const last = events.at(-1) as EventEnvelope<string, Record<string, unknown>> | undefined;
    const sent = last?.type === 'ReminderSent';
    const state = sent ? 'sent' : last?.type === 'ReminderNotSent' ? 'not-sent' : 'sending';
    await this.pool.query(
      `UPDATE automation.reminder_timers SET claimed_due_at = $3, reminder_id = $4, state = $5,
         reason = $6, sent_at = $7, message_id = $8
       WHERE tenant_id = $1 AND task_id = $2`,
      [
        timer.tenant_id,
        timer.task_id,
        timer.due_at,
        reminderId,
        state,
        last?.type === 'ReminderNotSent' ? last.data.reason : null,
        sent ? last.recordedAt : null,
        sent ? last.data.messageId : null,
      ],
    );
    this.logger.log('reminder handled', { reminderId, state });
  }
}
