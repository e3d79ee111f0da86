import { AutomationEventEnvelope, EventEnvelope, isAutomationEnvelope } from '@relate/contracts';
import { SqlProjection } from '@relate/service-kit';
import { Pool, PoolClient } from 'pg';

const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS automation;
  CREATE TABLE IF NOT EXISTS automation.webhooks (
    tenant_id text NOT NULL,
    subscription_id text NOT NULL,
    url text NOT NULL,
    event_types text[] NOT NULL,
    description text,
    active boolean NOT NULL,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id)
  );
`;

async function project(db: Pool | PoolClient, event: AutomationEventEnvelope): Promise<void> {
  if (event.type === 'WebhookSubscribed') {
    const { subscriptionId, url, eventTypes, description } = event.data;
    await db.query(
      `INSERT INTO automation.webhooks (tenant_id, subscription_id, url, event_types, description,
         active, version, created_at)
       VALUES ($1, $2, $3, $4, $5, true, $6, $7) ON CONFLICT DO NOTHING`,
      [
        event.tenantId,
        subscriptionId,
        url,
        eventTypes,
        description,
        event.streamVersion,
        event.recordedAt,
      ],
    );
  } else if (event.type === 'WebhookUnsubscribed') {
    await db.query(
      `UPDATE automation.webhooks SET active = false, version = $3
       WHERE tenant_id = $1 AND subscription_id = $2 AND version < $3`,
      [event.tenantId, event.data.subscriptionId, event.streamVersion],
    );
  }
}

/**
 * Written by the command before it answers (like the rule table), so that a subscription
 * receives the events committed after its 2xx; the projection writes the same rows.
 */
export async function writeWebhookThrough(pool: Pool, events: EventEnvelope[]): Promise<void> {
  for (const event of events) {
    await project(pool, event as AutomationEventEnvelope);
  }
}

/** The webhooks read model's name (the deliverer waits while it is rebuilt). */
export const WEBHOOKS_READ_MODEL = 'automation-webhooks';

/** Webhook subscriptions (never their secrets), fed from the automation topic. */
export class WebhooksProjection extends SqlProjection<AutomationEventEnvelope> {
  readonly name = WEBHOOKS_READ_MODEL;
  readonly tables = ['automation.webhooks'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isAutomationEnvelope;

  protected project(event: AutomationEventEnvelope, client: PoolClient): Promise<void> {
    return project(client, event);
  }
}
