import { AutomationEventEnvelope, isAutomationEnvelope } from '@relate/contracts';
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
`;

const RESULT_ID: Record<string, (data: Record<string, string>) => string> = {
  FollowUpTaskRequested: (data) => data.taskId,
  EmailQueued: (data) => data.emailId,
  NotificationCreated: (data) => data.notificationId,
  WebhookQueued: (data) => data.deliveryId,
};

/** Why each rule fired and what it did, fed from the firing streams of the automation topic. */
export class FiringsProjection extends SqlProjection<AutomationEventEnvelope> {
  readonly name = 'automation-firings';
  readonly tables = ['automation.firings'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isAutomationEnvelope;

  protected async project(event: AutomationEventEnvelope, client: PoolClient): Promise<void> {
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
    const resultId = RESULT_ID[event.type];
    if (resultId === undefined) {
      return;
    }
    const data = event.data as unknown as Record<string, string>;
    const action = { type: event.type, resultId: resultId(data) };
    // The runner applies each stream version once; the containment check keeps it idempotent
    // even so.
    await client.query(
      `UPDATE automation.firings SET actions = actions || $3::jsonb
       WHERE tenant_id = $1 AND firing_id = $2 AND NOT actions @> $3::jsonb`,
      [event.tenantId, data.firingId, JSON.stringify([action])],
    );
  }
}
