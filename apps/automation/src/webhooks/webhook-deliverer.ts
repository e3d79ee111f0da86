import { Inject, Injectable, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { Pool, PoolClient } from 'pg';

import { webhookStreamId } from '@relate/contracts';
import { Clock, PostgresEventStore } from '@relate/event-store';
import { CLOCK, ReadModels } from '@relate/service-kit';

import { automationLogger } from '../automation.wiring';
import { PollingLoop } from '../scheduling/polling-loop';
import { WEBHOOKS_READ_MODEL } from './webhooks.projection';

export interface WebhookSettings {
  /** How often the queue is looked at; default 500 ms. */
  pollMs: number;
  /** Time allowed for one POST; default 5000 ms. */
  timeoutMs: number;
  /** Attempts per delivery before it is failed; default 6. */
  maxAttempts: number;
  /** Wait before the 2nd attempt, doubling after each; default 1000 ms. */
  retryBaseMs: number;
}

export const WEBHOOK_SETTINGS = Symbol('WebhookSettings');

interface DueDelivery {
  tenant_id: string;
  delivery_id: string;
  subscription_id: string;
  event_type: string;
  body: string;
  attempts: number;
  url: string | null;
  active: boolean | null;
  secret: string | null;
}

interface AttemptResult {
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
}

/** `sha256=<hex HMAC-SHA256 of the raw body with the subscription's secret>`. */
export function signatureOf(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Sends the webhook delivery queue: POSTs each due delivery's JSON, signed, with a timeout;
 * records every attempt; retries failures with exponential backoff up to a bounded number of
 * attempts. A delivery is locked (FOR UPDATE SKIP LOCKED) while it is attempted, and its
 * attempt is recorded in the same transaction: so at least once; a crash after the POST and
 * before the commit posts it again, with the same `x-relate-delivery` id for the receiver to
 * drop the duplicate.
 *
 * The subscription (URL, active) comes from the `automation.webhooks` read model. While a rebuild
 * refills it, a missing row says nothing, so deliveries wait (they stay pending) rather than be
 * cancelled; a delivery is only cancelled when its subscription's stream says it is gone.
 */
@Injectable()
export class WebhookDeliverer implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = automationLogger(WebhookDeliverer.name);
  private readonly loop: PollingLoop;
  /** Whether the last round found the subscriptions rebuilding (logged once per rebuild). */
  private waiting = false;

  constructor(
    private readonly pool: Pool,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WEBHOOK_SETTINGS) private readonly settings: WebhookSettings,
    private readonly readModels: ReadModels,
    private readonly store: PostgresEventStore,
  ) {
    this.loop = new PollingLoop('webhook', this.settings.pollMs, () => this.tick(), this.logger);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }

  /**
   * Attempts every due delivery once (none while the subscriptions are rebuilt); returns how many
   * it attempted or postponed.
   */
  async tick(): Promise<number> {
    let attempted = 0;
    while (!this.loop.stopped && !this.subscriptionsRebuilding() && (await this.attemptNext())) {
      attempted += 1;
    }

    return attempted;
  }

  private async attemptNext(): Promise<boolean> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<DueDelivery>(
        `SELECT d.tenant_id, d.delivery_id, d.subscription_id, d.event_type, d.body, d.attempts,
           w.url, w.active, s.secret
         FROM automation.webhook_deliveries d
         LEFT JOIN automation.webhooks w
           ON w.tenant_id = d.tenant_id AND w.subscription_id = d.subscription_id
         LEFT JOIN automation.webhook_secrets s
           ON s.tenant_id = d.tenant_id AND s.subscription_id = d.subscription_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1
         ORDER BY d.next_attempt_at LIMIT 1
         FOR UPDATE OF d SKIP LOCKED`,
        [this.clock.now()],
      );
      const delivery = rows[0];
      // A rebuild may have dropped the table while this round waited: it then read a partial one.
      if (delivery === undefined || this.subscriptionsRebuilding()) {
        await client.query('COMMIT');

        return false;
      }
      if (!delivery.active && (await this.activeByStream(delivery))) {
        await this.postpone(client, delivery);
      } else {
        await this.attempt(client, delivery);
      }
      await client.query('COMMIT');

      return true;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }

  private subscriptionsRebuilding(): boolean {
    const rebuilding = this.readModels.isRebuilding(WEBHOOKS_READ_MODEL);
    if (rebuilding !== this.waiting) {
      this.waiting = rebuilding;
      this.logger.log(
        rebuilding
          ? 'webhook deliveries wait: the subscriptions are being rebuilt'
          : 'webhook deliveries resume: the subscriptions are rebuilt',
      );
    }

    return rebuilding;
  }

  /** Whether the subscription's stream says it is active (its last event subscribed it). */
  private async activeByStream(delivery: DueDelivery): Promise<boolean> {
    const { tenant_id: tenantId, subscription_id: subscriptionId } = delivery;
    const events = await this.store.readStream(tenantId, webhookStreamId(tenantId, subscriptionId));

    return events.at(-1)?.type === 'WebhookSubscribed';
  }

  /**
   * The read model does not show an active subscription its stream has: it is behind (refilling
   * after a rebuild). The delivery waits a retry interval, no attempt counted, instead of being
   * cancelled; the others due go on meanwhile.
   */
  private async postpone(client: PoolClient, delivery: DueDelivery): Promise<void> {
    const next = new Date(this.clock.now().getTime() + this.settings.retryBaseMs);
    await client.query(
      `UPDATE automation.webhook_deliveries SET next_attempt_at = $3
       WHERE tenant_id = $1 AND delivery_id = $2`,
      [delivery.tenant_id, delivery.delivery_id, next],
    );
    this.logger.warn('webhook delivery postponed: subscription not in the read model yet', {
      deliveryId: delivery.delivery_id,
    });
  }

  private async attempt(client: PoolClient, delivery: DueDelivery): Promise<void> {
    const key = [delivery.tenant_id, delivery.delivery_id];
    if (!delivery.active || delivery.url === null || delivery.secret === null) {
      await client.query(
        `UPDATE automation.webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL
         WHERE tenant_id = $1 AND delivery_id = $2`,
        key,
      );

      return;
    }
    const result = await this.post(delivery);
    const attempt = delivery.attempts + 1;
    const now = this.clock.now();
    const retry = !result.ok && attempt < this.settings.maxAttempts;
    const next = retry
      ? new Date(now.getTime() + this.settings.retryBaseMs * 2 ** (attempt - 1))
      : null;
    const status = result.ok ? 'delivered' : retry ? 'pending' : 'failed';
    await client.query(
      `INSERT INTO automation.webhook_attempts (tenant_id, delivery_id, attempt, at, outcome,
         http_status, error, duration_ms, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        ...key,
        attempt,
        now,
        result.ok ? 'delivered' : 'failed',
        result.httpStatus,
        result.error,
        result.durationMs,
        next,
      ],
    );
    await client.query(
      `UPDATE automation.webhook_deliveries SET status = $3, attempts = $4, next_attempt_at = $5
       WHERE tenant_id = $1 AND delivery_id = $2`,
      [...key, status, attempt, next],
    );
    this.logger.log('webhook attempted', {
      deliveryId: delivery.delivery_id,
      attempt,
      status,
      httpStatus: result.httpStatus,
    });
  }

  private async post(delivery: DueDelivery): Promise<AttemptResult> {
    const started = Date.now();
    try {
      const response = await fetch(delivery.url!, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-relate-signature': signatureOf(delivery.secret!, delivery.body),
          'x-relate-delivery': delivery.delivery_id,
          'x-relate-event': delivery.event_type,
        },
        body: delivery.body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      const ok = response.status >= 200 && response.status < 300;

      return {
        ok,
        httpStatus: response.status,
        error: ok ? null : `HTTP ${response.status}`,
        durationMs: Date.now() - started,
      };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      const reason = name === 'TimeoutError' ? 'timed out' : 'could not connect';

      return { ok: false, httpStatus: null, error: reason, durationMs: Date.now() - started };
    }
  }
}
