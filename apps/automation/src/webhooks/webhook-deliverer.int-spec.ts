import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { Pool, PoolClient } from 'pg';

import { AUTOMATION_ACTOR, EventEnvelope, webhookStreamId } from '@relate/contracts';
import { PostgresEventStore } from '@relate/event-store';
import { EventPublisher, KafkaSettings } from '@relate/messaging';
import { createPool, ReadModels } from '@relate/service-kit';
import { createTestDatabase, eventually, TestDatabase } from '@relate/testing';

import { DELIVERY_MIGRATION } from './webhook-deliveries.reactor';
import { WebhookDeliverer } from './webhook-deliverer';
import { WEBHOOKS_READ_MODEL, WebhooksProjection } from './webhooks.projection';

/** The webhooks read model, whose events wait at a gate the spec closes to hold a rebuild. */
class GatedWebhooksProjection extends WebhooksProjection {
  gate: Promise<void> = Promise.resolve();

  override async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    await this.gate;
    await super.apply(event, client);
  }
}

function testKafka(): KafkaSettings {
  const brokers = process.env.RELATE_TEST_KAFKA_BROKERS;
  if (!brokers) {
    throw new Error('RELATE_TEST_KAFKA_BROKERS is not set: run the tests through jest');
  }

  return {
    brokers: brokers.split(','),
    clientId: `deliverer-spec-${randomBytes(3).toString('hex')}`,
  };
}

describe(`${WebhookDeliverer.name} and read model rebuilds`, () => {
  const kafka = testKafka();
  const tenantId = 'tenant-a';
  const subscriptionId = randomUUID();
  const streamId = webhookStreamId(tenantId, subscriptionId);
  const context = { tenantId, actor: { type: 'user' as const, id: 'rep-1' }, correlationId: 'c' };
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let publisher: EventPublisher;
  let readModels: ReadModels;
  let projection: GatedWebhooksProjection;
  let server: Server;
  const received: string[] = [];
  let sut: WebhookDeliverer;

  async function deliveryDueNow(): Promise<string> {
    const deliveryId = randomUUID();
    await pool.query(
      `INSERT INTO automation.webhook_deliveries (tenant_id, delivery_id, subscription_id,
         event_type, event_id, body, status, next_attempt_at, created_at)
       VALUES ($1, $2, $3, 'RuleFired', $4, '{}', 'pending', $5, $5)`,
      // Due a second ago: the database's clock has microseconds, the deliverer's milliseconds.
      [tenantId, deliveryId, subscriptionId, randomUUID(), new Date(Date.now() - 1000)],
    );

    return deliveryId;
  }

  async function delivery(deliveryId: string) {
    const { rows } = await pool.query<{ status: string; attempts: number; next: Date | null }>(
      `SELECT status, attempts, next_attempt_at AS next FROM automation.webhook_deliveries
       WHERE tenant_id = $1 AND delivery_id = $2`,
      [tenantId, deliveryId],
    );

    return rows[0];
  }

  async function subscriptionRows(): Promise<number> {
    const { rowCount } = await pool.query(
      'SELECT 1 FROM automation.webhooks WHERE tenant_id = $1 AND subscription_id = $2',
      [tenantId, subscriptionId],
    );

    return rowCount ?? 0;
  }

  beforeAll(async () => {
    database = await createTestDatabase('webhook_deliverer');
    pool = createPool('webhook-deliverer-spec', { connectionString: database.url, max: 10 });
    store = new PostgresEventStore(pool, { schema: 'automation' });
    await store.migrate();
    await pool.query(DELIVERY_MIGRATION);
    server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        received.push(request.url ?? '/');
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    await store.append(
      streamId,
      'WebhookSubscription',
      [
        {
          type: 'WebhookSubscribed',
          data: {
            subscriptionId,
            url: `http://127.0.0.1:${port}/hook`,
            eventTypes: ['RuleFired'],
            description: null,
          },
        },
      ],
      { expectedVersion: 'no_stream', context },
    );
    await pool.query(
      `INSERT INTO automation.webhook_secrets (tenant_id, subscription_id, secret)
       VALUES ($1, $2, 'whsec_spec')`,
      [tenantId, subscriptionId],
    );
    const run = randomBytes(4).toString('hex');
    const topic = `spec.deliverer.${run}`;
    publisher = new EventPublisher(kafka);
    await publisher.connect();
    await publisher.publish(topic, await store.readStream(tenantId, streamId));
    projection = new GatedWebhooksProjection([topic]);
    readModels = new ReadModels(pool, kafka, [projection], {
      schema: 'automation',
      topics: { contacts: topic, pipeline: topic, activities: topic, automation: topic },
      groupPrefix: `spec-${run}`,
      rebuildCheckMs: 100,
    });
    await readModels.start();
    await eventually(async () => ((await subscriptionRows()) === 1 ? true : undefined), 20_000);
    const clock = { now: () => new Date() };
    const settings = { pollMs: 60_000, timeoutMs: 2000, maxAttempts: 3, retryBaseMs: 60_000 };
    // Rounds are run by the spec (tick), never by the deliverer's own timer.
    sut = new WebhookDeliverer(pool, clock, settings, readModels, store);
  }, 60_000);

  afterAll(async () => {
    await readModels?.stop();
    await publisher?.disconnect();
    await new Promise((resolve) => server?.close(resolve));
    await pool?.end();
    await database?.drop();
  });

  it('keeps a due delivery pending while the subscriptions rebuild, then sends it', async () => {
    const deliveryId = await deliveryDueNow();
    let open!: () => void;
    projection.gate = new Promise((resolve) => (open = resolve));
    await readModels.rebuild([WEBHOOKS_READ_MODEL]);
    // Dropped, and held empty: the subscription's event waits at the gate.
    expect(await subscriptionRows()).toBe(0);
    expect(readModels.isRebuilding(WEBHOOKS_READ_MODEL)).toBe(true);

    expect(await sut.tick()).toBe(0);
    expect(await delivery(deliveryId)).toMatchObject({ status: 'pending', attempts: 0 });

    open();
    await eventually(() => (readModels.isRebuilding(WEBHOOKS_READ_MODEL) ? undefined : true));
    expect(await sut.tick()).toBe(1);
    expect(await delivery(deliveryId)).toMatchObject({ status: 'delivered', attempts: 1 });
    expect(received).toEqual(['/hook']);
  }, 60_000);

  it('postpones a delivery its read model lacks yet; cancels an unsubscribed one', async () => {
    // A read model behind its stream, as right after a rebuild's drop: the row is missing.
    await pool.query('DELETE FROM automation.webhooks WHERE subscription_id = $1', [
      subscriptionId,
    ]);
    const deliveryId = await deliveryDueNow();
    const before = Date.now();

    expect(await sut.tick()).toBe(1);
    const postponed = await delivery(deliveryId);
    expect(postponed).toMatchObject({ status: 'pending', attempts: 0 });
    expect(postponed.next!.getTime()).toBeGreaterThan(before);

    await store.append(
      streamId,
      'WebhookSubscription',
      [{ type: 'WebhookUnsubscribed', data: { subscriptionId } }],
      { expectedVersion: 1, context: { ...context, actor: AUTOMATION_ACTOR } },
    );
    await pool.query(
      'UPDATE automation.webhook_deliveries SET next_attempt_at = $2 WHERE delivery_id = $1',
      [deliveryId, new Date(Date.now() - 1000)],
    );
    expect(await sut.tick()).toBe(1);
    expect(await delivery(deliveryId)).toMatchObject({ status: 'cancelled', attempts: 0 });
    expect(received).toEqual(['/hook']);
  });
});
