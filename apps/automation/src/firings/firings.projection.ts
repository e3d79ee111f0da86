import {
  EventEnvelope,
  isActivitiesEnvelope,
  isAutomationEnvelope,
  RuleAction,
} from '@relate/contracts';
import { SqlProjection } from '@relate/service-kit';
import { PoolClient } from 'pg';

const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS automation;
  CREATE TABLE IF NOT EXISTS automation.firings (
    tenant_id text NOT NULL,
    firing_id text NOT NULL,
    rule_id text NOT NULL,
    rule_version integer NOT NULL,
    trigger jsonb NOT NULL,
    conditions jsonb NOT NULL,
    record jsonb NOT NULL,
    actions jsonb NOT NULL DEFAULT '[]',
    fired_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, firing_id)
  );
  CREATE INDEX IF NOT EXISTS firings_by_rule ON automation.firings (tenant_id, rule_id, fired_at);
  CREATE TABLE IF NOT EXISTS automation.firing_action_outcomes (
    tenant_id text NOT NULL,
    result_id text NOT NULL,
    status text NOT NULL,
    reason text,
    PRIMARY KEY (tenant_id, result_id)
  );
`;

const RESULT_ID: Record<string, (data: Record<string, string>) => string> = {
  FollowUpTaskRequested: (data) => data.taskId,
  EmailQueued: (data) => data.emailId,
  NotificationCreated: (data) => data.notificationId,
  WebhookQueued: (data) => data.deliveryId,
};

interface Outcome {
  resultId: string;
  status: 'created' | 'sent' | 'not-sent';
  reason: string | null;
}

/**
 * What became of an action after its firing: the mail sender's answer to an email, the task
 * activities created. Kept by result id in a table of their own, since the firing's stream and
 * the email's (or the task's) may reach this projection in either order.
 */
function outcomeOf(event: EventEnvelope): Outcome | undefined {
  if (isAutomationEnvelope(event)) {
    if (event.type === 'EmailSent') {
      const { emailId, accepted } = event.data;

      return accepted
        ? { resultId: emailId, status: 'sent', reason: null }
        : { resultId: emailId, status: 'not-sent', reason: 'refused' };
    }
    if (event.type === 'EmailNotSent') {
      return { resultId: event.data.emailId, status: 'not-sent', reason: event.data.reason };
    }
  }
  if (isActivitiesEnvelope(event) && event.type === 'TaskCreated') {
    if (event.data.source.type === 'rule') {
      return { resultId: event.data.taskId, status: 'created', reason: null };
    }
  }

  return undefined;
}

/**
 * Why each rule fired and what it did, fed from the firing streams of the automation topic,
 * with each action's outcome from the email streams and the activities topic.
 */
export class FiringsProjection extends SqlProjection<EventEnvelope> {
  readonly name = 'automation-firings';
  readonly tables = ['automation.firings', 'automation.firing_action_outcomes'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = (event: EventEnvelope): event is EventEnvelope =>
    isAutomationEnvelope(event) || isActivitiesEnvelope(event);

  protected async project(event: EventEnvelope, client: PoolClient): Promise<void> {
    const outcome = outcomeOf(event);
    if (outcome !== undefined) {
      // One email stream ends in one answer; a later one (after an unknown outcome) wins.
      await client.query(
        `INSERT INTO automation.firing_action_outcomes (tenant_id, result_id, status, reason)
         VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, result_id)
         DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason`,
        [event.tenantId, outcome.resultId, outcome.status, outcome.reason],
      );

      return;
    }
    if (!isAutomationEnvelope(event)) {
      return;
    }
    if (event.type === 'RuleFired') {
      const { firingId, ruleId, ruleVersion, trigger, conditions, record } = event.data;
      await client.query(
        `INSERT INTO automation.firings (tenant_id, firing_id, rule_id, rule_version, trigger,
           conditions, record, fired_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
        [
          event.tenantId,
          firingId,
          ruleId,
          ruleVersion,
          JSON.stringify(trigger),
          JSON.stringify(conditions),
          JSON.stringify(record),
          event.recordedAt,
        ],
      );

      return;
    }
    const action = firingAction(event);
    if (action === undefined) {
      return;
    }
    // The runner applies each stream version once; the containment check keeps it idempotent
    // even so.
    await client.query(
      `UPDATE automation.firings SET actions = actions || $3::jsonb
       WHERE tenant_id = $1 AND firing_id = $2 AND NOT actions @> $3::jsonb`,
      [event.tenantId, (event.data as { firingId: string }).firingId, JSON.stringify([action])],
    );
  }
}

/** The action as stored with its firing; its outcome is joined when the firings are read. */
export interface StoredFiringAction {
  type: string;
  resultId: string | null;
  action?: RuleAction['type'];
  actionIndex?: number;
  reason?: string;
}

function firingAction(event: EventEnvelope): StoredFiringAction | undefined {
  if (event.type === 'RuleActionSkipped') {
    const { action, actionIndex, reason } = event.data as {
      action: RuleAction['type'];
      actionIndex: number;
      reason: string;
    };

    return { type: event.type, resultId: null, action, actionIndex, reason };
  }
  const resultId = RESULT_ID[event.type];

  return resultId === undefined
    ? undefined
    : { type: event.type, resultId: resultId(event.data as Record<string, string>) };
}
