import { Body, Controller, Delete, Get, Inject, Param, Post, Query } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Pool } from 'pg';

import {
  AutomationStreams,
  CommandContext,
  Page,
  PageQuery,
  SubscribeWebhookRequest,
  WebhookAttemptView,
  WebhookDeliveryView,
  WebhookSubscribedResult,
  webhookStreamId,
  WebhookView,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator, PostgresEventStore } from '@relate/event-store';
import {
  AggregateRepository,
  CommandTarget,
  Ctx,
  EventSourcedRepository,
  ID_GENERATOR,
  orNotFound,
  pagingOf,
  selectOne,
  selectPage,
  SqlFilter,
  Target,
  TenantId,
} from '@relate/service-kit';

import { webhookNotFound } from '../automation.errors';
import { WebhookCommand, webhookDecider, WebhookState } from './webhook.decider';
import { writeWebhookThrough } from './webhooks.projection';

interface WebhookRow {
  subscription_id: string;
  url: string;
  event_types: string[];
  description: string | null;
  active: boolean;
  version: number;
  created_at: Date;
}

interface DeliveryRow {
  delivery_id: string;
  subscription_id: string;
  event_type: string;
  event_id: string;
  status: WebhookDeliveryView['status'];
  next_attempt_at: Date | null;
  created_at: Date;
  attempts_list: Array<{
    attempt: number;
    at: string;
    outcome: 'delivered' | 'failed';
    http_status: number | null;
    error: string | null;
    duration_ms: number;
    next_attempt_at: string | null;
  }>;
}

const toView = (row: WebhookRow): WebhookView => ({
  id: row.subscription_id,
  url: row.url,
  eventTypes: row.event_types,
  description: row.description,
  active: row.active,
  version: row.version,
  createdAt: row.created_at.toISOString(),
});

const iso = (value: string | null) => (value === null ? null : new Date(value).toISOString());

const toAttempt = (a: DeliveryRow['attempts_list'][number]): WebhookAttemptView => ({
  attempt: a.attempt,
  at: new Date(a.at).toISOString(),
  outcome: a.outcome,
  httpStatus: a.http_status,
  error: a.error,
  durationMs: a.duration_ms,
  nextAttemptAt: iso(a.next_attempt_at),
});

const toDelivery = (row: DeliveryRow): WebhookDeliveryView => ({
  id: row.delivery_id,
  subscriptionId: row.subscription_id,
  eventType: row.event_type,
  eventId: row.event_id,
  status: row.status,
  attempts: row.attempts_list.map(toAttempt),
  nextAttemptAt: row.next_attempt_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
});

@Controller('webhooks')
export class WebhooksController {
  private readonly webhooks: AggregateRepository<WebhookCommand, WebhookState>;

  constructor(
    repository: EventSourcedRepository,
    private readonly store: PostgresEventStore,
    private readonly pool: Pool,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.webhooks = repository.of(webhookDecider, AutomationStreams.webhook);
  }

  /**
   * The secret is stored before the subscription's first event, so no subscription exists
   * without one; it is answered here once and never appears in an event or a log.
   */
  @Post()
  async subscribe(
    @Ctx() context: CommandContext,
    @Body() body: SubscribeWebhookRequest,
  ): Promise<WebhookSubscribedResult> {
    const subscriptionId = body.id ?? this.ids.next();
    const secret = `whsec_${randomBytes(32).toString('hex')}`;
    const key = [context.tenantId, subscriptionId];
    const { rowCount } = await this.pool.query(
      `INSERT INTO automation.webhook_secrets (tenant_id, subscription_id, secret)
       VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [...key, secret],
    );
    const subscription = {
      subscriptionId,
      url: body.url,
      eventTypes: body.eventTypes,
      description: body.description ?? null,
    };
    try {
      const result = await this.run(
        { context, id: subscriptionId },
        { type: 'Subscribe', subscription },
      );

      return { ...result, secret };
    } catch (error) {
      if (rowCount === 1) {
        await this.pool.query(
          'DELETE FROM automation.webhook_secrets WHERE tenant_id = $1 AND subscription_id = $2',
          key,
        );
      }
      throw error;
    }
  }

  @Get()
  list(@TenantId() tenantId: string, @Query() query: PageQuery): Promise<Page<WebhookView>> {
    return selectPage(this.pool, {
      select: 'SELECT * FROM automation.webhooks',
      countFrom: 'automation.webhooks',
      filter: SqlFilter.forTenant('tenant_id', tenantId).and('active'),
      orderBy: 'created_at, subscription_id',
      paging: pagingOf(query),
      toView,
    });
  }

  @Get(':id')
  async get(@TenantId() tenantId: string, @Param('id') id: string): Promise<WebhookView> {
    return orNotFound(await this.find(tenantId, id), () => webhookNotFound(id));
  }

  @Delete(':id')
  unsubscribe(@Target('id') target: CommandTarget): Promise<WriteResult> {
    return this.run(target, { type: 'Unsubscribe', subscriptionId: target.id });
  }

  @Get(':id/deliveries')
  async deliveries(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Query() query: PageQuery,
  ): Promise<Page<WebhookDeliveryView>> {
    orNotFound(await this.find(tenantId, id), () => webhookNotFound(id));

    return selectPage(this.pool, {
      select: `SELECT d.*, coalesce((SELECT jsonb_agg(a ORDER BY a.attempt)
                 FROM automation.webhook_attempts a
                 WHERE a.tenant_id = d.tenant_id AND a.delivery_id = d.delivery_id), '[]')
               AS attempts_list
               FROM automation.webhook_deliveries d`,
      countFrom: 'automation.webhook_deliveries d',
      filter: SqlFilter.forTenant('d.tenant_id', tenantId).bind(
        id,
        (p) => `d.subscription_id = ${p}`,
      ),
      orderBy: 'd.created_at DESC, d.delivery_id',
      paging: pagingOf(query),
      toView: toDelivery,
    });
  }

  private find(tenantId: string, id: string): Promise<WebhookView | undefined> {
    const sql = `SELECT * FROM automation.webhooks
      WHERE tenant_id = $1 AND subscription_id = $2 AND active`;

    return selectOne(this.pool, sql, [tenantId, id], toView);
  }

  private async run(target: CommandTarget, command: WebhookCommand): Promise<WriteResult> {
    const result = await this.webhooks.execute(target, command);
    const { tenantId } = target.context;
    const events = await this.store.readStream(tenantId, webhookStreamId(tenantId, target.id));
    await writeWebhookThrough(this.pool, events);

    return result;
  }
}
