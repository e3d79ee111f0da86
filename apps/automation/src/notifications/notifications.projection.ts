import { AutomationEventEnvelope, isAutomationEnvelope } from '@relate/contracts';
import { SqlProjection } from '@relate/service-kit';
import { PoolClient } from 'pg';

const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS automation;
  CREATE TABLE IF NOT EXISTS automation.notifications (
    tenant_id text NOT NULL,
    notification_id text NOT NULL,
    user_id text NOT NULL,
    rule_id text NOT NULL,
    firing_id text NOT NULL,
    message text NOT NULL,
    created_at timestamptz NOT NULL,
    read_at timestamptz,
    PRIMARY KEY (tenant_id, notification_id)
  );
  CREATE INDEX IF NOT EXISTS notifications_by_user
    ON automation.notifications (tenant_id, user_id, created_at);
`;

/** Each user's in-app notifications, fed from the automation topic. */
export class NotificationsProjection extends SqlProjection<AutomationEventEnvelope> {
  readonly name = 'automation-notifications';
  readonly tables = ['automation.notifications'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isAutomationEnvelope;

  protected async project(event: AutomationEventEnvelope, client: PoolClient): Promise<void> {
    if (event.type === 'NotificationCreated') {
      const { notificationId, userId, ruleId, firingId, personal } = event.data;
      await client.query(
        `INSERT INTO automation.notifications (tenant_id, notification_id, user_id, rule_id,
           firing_id, message, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
        [
          event.tenantId,
          notificationId,
          userId,
          ruleId,
          firingId,
          personal.message,
          event.recordedAt,
        ],
      );
    } else if (event.type === 'NotificationRead') {
      await client.query(
        `UPDATE automation.notifications SET read_at = $3
         WHERE tenant_id = $1 AND notification_id = $2`,
        [event.tenantId, event.data.notificationId, event.recordedAt],
      );
    }
  }
}
