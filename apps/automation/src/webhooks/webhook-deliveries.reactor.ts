import {
  EventEnvelope,
  firingStreamId,
  isActivitiesEnvelope,
  isAutomationEnvelope,
  isContactsEnvelope,
  isPipelineEnvelope,
} from '@relate/contracts';
import { Projection } from '@relate/messaging';
import { PoolClient } from 'pg';

import { AutomationWiring } from '../automation.wiring';
import { derivedId } from '../engine/derived-id';

/**
 * Not read models (no rebuild drops them): secrets exist nowhere else, and the delivery queue
 * and its attempts are the record of what was sent.
 */
export const DELIVERY_MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS automation;
  CREATE TABLE IF NOT EXISTS automation.webhook_secrets (
    tenant_id text NOT NULL,
    subscription_id text NOT NULL,
    secret text NOT NULL,
    PRIMARY KEY (tenant_id, subscription_id)
  );
  CREATE TABLE IF NOT EXISTS automation.webhook_deliveries (
    tenant_id text NOT NULL,
    delivery_id text NOT NULL,
    subscription_id text NOT NULL,
    event_type text NOT NULL,
    event_id text NOT NULL,
    body text NOT NULL,
    status text NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, delivery_id)
  );
  CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON automation.webhook_deliveries
    (next_attempt_at) WHERE status = 'pending';
  CREATE TABLE IF NOT EXISTS automation.webhook_attempts (
    tenant_id text NOT NULL,
    delivery_id text NOT NULL,
    attempt integer NOT NULL,
    at timestamptz NOT NULL,
    outcome text NOT NULL,
    http_status integer,
    error text,
    duration_ms integer NOT NULL,
    next_attempt_at timestamptz,
    PRIMARY KEY (tenant_id, delivery_id, attempt)
  );
`;

async function enqueue(
  client: PoolClient,
  event: EventEnvelope,
  subscriptionId: string,
  deliveryId: string,
  eventType: string,
  eventId: string,
  payload: unknown,
): Promise<void> {
  const body = JSON.stringify({ deliveryId, subscriptionId, type: eventType, payload });
  await client.query(
    `INSERT INTO automation.webhook_deliveries (tenant_id, delivery_id, subscription_id,
       event_type, event_id, body, status, next_attempt_at, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $7) ON CONFLICT DO NOTHING`,
    [event.tenantId, deliveryId, subscriptionId, eventType, eventId, body, event.recordedAt],
  );
}

// TODO(#3): a subscribed event is posted as its whole envelope, personal data included, and
// the queued body is not erased when the person is.
/**
 * Fills the webhook delivery queue, in the reactor's transaction (so each delivery is queued
 * exactly once): events of the types a subscription asked for, and the posts rule firings
 * queued (WebhookQueued). The deliverer sends the queue.
 */
export class WebhookDeliveriesReactor implements Projection {
  readonly name = 'automation-webhook-deliveries';

  constructor(
    readonly topics: string[],
    private readonly wiring: AutomationWiring,
  ) {}

  async migrate(client: PoolClient): Promise<void> {
    await client.query(DELIVERY_MIGRATION);
  }

  async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    if (isAutomationEnvelope(event)) {
      if (event.type === 'WebhookQueued') {
        const { subscriptionId, deliveryId, firingId } = event.data;
        const firing = await this.wiring.store.readStream(
          event.tenantId,
          firingStreamId(event.tenantId, firingId),
        );
        const fired = firing.find((e) => e.type === 'RuleFired');
        await enqueue(
          client,
          event,
          subscriptionId,
          deliveryId,
          'RuleFired',
          firingId,
          fired?.data,
        );
      }

      return;
    }
    if (!isContactsEnvelope(event) && !isPipelineEnvelope(event) && !isActivitiesEnvelope(event)) {
      return;
    }
    const { rows } = await client.query<{ subscription_id: string }>(
      `SELECT subscription_id FROM automation.webhooks
       WHERE tenant_id = $1 AND active AND $2 = ANY(event_types)`,
      [event.tenantId, event.type],
    );
    for (const { subscription_id: subscriptionId } of rows) {
      const deliveryId = derivedId('delivery', subscriptionId, event.id);
      await enqueue(client, event, subscriptionId, deliveryId, event.type, event.id, event);
    }
  }
}
