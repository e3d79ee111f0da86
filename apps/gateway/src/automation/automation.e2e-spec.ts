import { createHmac } from 'node:crypto';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

import {
  AUTOMATION_ACTOR,
  FiringView,
  NotificationView,
  ReminderView,
  salesRepStreamId,
  WebhookDeliveryView,
} from '@relate/contracts';
import { PostgresEventStore } from '@relate/event-store';
import { MailCatcher } from '@relate/mail';

import { MAX_ENABLED_RULES } from '../../../automation/src/rules/rule.decider';
import { E2eStack, eventually, startE2eStack } from '../testing/e2e-stack';

interface Received {
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

interface Receiver {
  server: Server;
  url: string;
  received: Received[];
  /** Answers 500 to this many requests of a path before it answers 204. */
  failures: Map<string, number>;
}

/** A webhook receiver on 127.0.0.1 that records every request. */
async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const failures = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      received.push({ path, headers: request.headers, body: Buffer.concat(chunks).toString() });
      const left = failures.get(path) ?? 0;
      failures.set(path, left - 1);
      response.writeHead(left > 0 ? 500 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return { server, url: `http://127.0.0.1:${port}`, received, failures };
}

describe('automation through the gateway', () => {
  let stack: E2eStack;
  let catcher: MailCatcher;
  let mailDir: string;
  let pool: Pool;
  let activities: PostgresEventStore;
  let receiver: Receiver;
  const api = () => stack.as('a');
  const pipelineId = randomUUID();
  const stage = { lead: randomUUID(), demo: randomUUID(), won: randomUUID(), lost: randomUUID() };
  const repId = randomUUID();
  const templateId = randomUUID();
  /** The rep's creation, for reads that must see it. */
  let repCreated: string;

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'relate-automation-mail-'));
    const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
    catcher = await MailCatcher.start({ dir: mailDir, logger: quiet });
    stack = await startE2eStack('automation', {
      mail: { smtpUrl: catcher.url, from: 'relate@example.test' },
      reminderPollMs: 200,
      webhooks: { pollMs: 100, retryBaseMs: 200, maxAttempts: 4, timeoutMs: 2000 },
    });
    receiver = await startReceiver();
    pool = new Pool({ connectionString: stack.stack.settings.databaseUrl, max: 2 });
    activities = new PostgresEventStore(pool, { schema: 'activities' });
    await api()
      .post('/pipelines', {
        id: pipelineId,
        name: 'Sales',
        stages: [
          { id: stage.lead, name: 'Lead', kind: 'open' },
          { id: stage.demo, name: 'Demo', kind: 'open' },
          { id: stage.won, name: 'Won', kind: 'won' },
          { id: stage.lost, name: 'Lost', kind: 'lost' },
        ],
      })
      .expect(201);
    const rep = await api()
      .post('/reps', { id: repId, name: 'Rep', email: 'rep@example.test' })
      .expect(201);
    repCreated = rep.body.consistencyToken as string;
  });

  afterAll(async () => {
    await new Promise((resolve) => receiver?.server.close(resolve));
    await pool?.end();
    await stack?.stop();
    await catcher?.stop();
    await rm(mailDir, { recursive: true, force: true });
  });

  async function firingsOf(ruleId: string): Promise<FiringView[]> {
    const response = await api().get(`/rules/${ruleId}/firings`).expect(200);

    return response.body.items as FiringView[];
  }

  /** Waits until the rule engine has applied the first event of a stream. */
  async function engineApplied(streamId: string): Promise<void> {
    await eventually(async () => {
      const { rows } = await pool.query(
        `SELECT 1 FROM automation.projection_stream_versions
         WHERE projection = 'automation-rule-engine' AND stream_id = $1 AND version >= 1`,
        [streamId],
      );

      return rows.length === 1 ? true : undefined;
    });
  }

  async function openDeal(value: number): Promise<string> {
    const dealId = randomUUID();
    await api()
      .post('/deals', { id: dealId, title: `Deal ${value}`, pipelineId, value, ownerId: repId })
      .expect(201);

    return dealId;
  }

  it('refuses a rule field by field, and a template with an unknown placeholder', async () => {
    const response = await api()
      .post('/rules', {
        name: 'Bad',
        trigger: { eventType: 'NoSuchEvent' },
        actions: [{ type: 'createTask', title: 'x', dueInDays: -2, assignTo: 'owner' }],
      })
      .expect(400);
    expect(response.body.violations).toEqual(
      expect.arrayContaining([
        { field: 'trigger.eventType', reason: 'must be a known event type' },
        { field: 'actions[0].dueInDays', reason: 'must be an integer 0..365' },
      ]),
    );
    const template = await api()
      .post('/email-templates', { name: 'T', subject: 'Hi {{nope}}', body: 'b' })
      .expect(400);
    expect(template.body.violations).toEqual([
      { field: 'subject', reason: 'unknown placeholder {{nope}}' },
    ]);
  });

  it('fires a rule created through the API on the next matching deal event', async () => {
    await api()
      .post('/email-templates', {
        id: templateId,
        name: 'Demo booked',
        subject: 'Demo for {{deal.title}}',
        body: '{{deal.title}} is worth {{deal.value}} {{deal.currency}}.',
      })
      .expect(201);
    const small = await openDeal(100);
    const big = await openDeal(5000);
    const rule = await api()
      .post('/rules', {
        name: 'Demo follow-up',
        trigger: { eventType: 'DealMovedToStage', toStageId: stage.demo },
        conditions: [{ type: 'valueAbove', amount: 1000 }],
        actions: [
          {
            type: 'createTask',
            title: 'Call about {{deal.title}}',
            dueInDays: 2,
            assignTo: 'owner',
          },
          { type: 'sendEmail', templateId, to: 'owner' },
          { type: 'notify', users: ['owner'], message: '{{deal.title}} reached the demo' },
        ],
      })
      .expect(201);
    const ruleId = rule.body.id as string;
    const rep = await api().get(`/reps/${repId}?consistency=${repCreated}`).expect(200);
    expect(rep.body.email).toBe('rep@example.test');
    // The engine takes the owner's email from its own state at the firing: it must know the rep.
    await engineApplied(salesRepStreamId(stack.tenants.a, repId));
    // Right after the 2xx: both deals move; only the big one passes the condition.
    await api().post(`/deals/${small}/stage`, { stageId: stage.demo }).expect(200);
    await api().post(`/deals/${big}/stage`, { stageId: stage.demo }).expect(200);

    const [firing] = await eventually(async () => {
      const firings = await firingsOf(ruleId);

      return firings.length === 1 && firings[0].actions.length === 3 ? firings : undefined;
    });
    expect(firing.trigger.eventType).toBe('DealMovedToStage');
    expect(firing.record).toMatchObject({ dealId: big, ownerId: repId, value: 5000 });
    expect(firing.conditions).toEqual([
      { condition: { type: 'valueAbove', amount: 1000 }, actual: 5000, passed: true },
    ]);
    expect(firing.actions.map((action) => action.type)).toEqual([
      'FollowUpTaskRequested',
      'EmailQueued',
      'NotificationCreated',
    ]);

    const taskId = firing.actions[0].resultId;
    const task = await eventually(async () => {
      const response = await api().get(`/tasks?dealId=${big}`).expect(200);

      return response.body.items.find((item: { id: string }) => item.id === taskId);
    });
    expect(task).toMatchObject({
      title: 'Call about Deal 5000',
      assigneeId: repId,
      source: { type: 'rule', ruleId, firingId: firing.id },
    });

    const mail = await eventually(async () => {
      const messages = await catcher.messages();

      return messages.find((m) => m.subject === 'Demo for Deal 5000');
    });
    expect(mail.to).toContain('rep@example.test');
    expect(mail.text).toContain('Deal 5000 is worth 5000 USD.');

    const notifications = await eventually(async () => {
      const response = await api().get(`/notifications?userId=${repId}&unread=true`).expect(200);
      const items = response.body.items as NotificationView[];

      return items.length === 1 ? items : undefined;
    });
    expect(notifications[0]).toMatchObject({ ruleId, message: 'Deal 5000 reached the demo' });
    // The notification is the rep's: the key's own actor (rep-a) may not mark it, and learns
    // nothing (404, as for an unknown id).
    const notificationId = notifications[0].id;
    await api().post(`/notifications/${notificationId}/read`).expect(404);
    // The gateway names the key as actor; the rep itself is reached at the service directly.
    const markAsRep = () =>
      fetch(`${stack.stack.serviceUrls.automation}/notifications/${notificationId}/read`, {
        method: 'POST',
        headers: { 'x-tenant-id': stack.tenants.a, 'x-actor-id': repId, 'x-actor-type': 'user' },
      });
    const firstRead = await markAsRep();
    // The service answers a command's POST with 201; the gateway turns it into 200.
    expect(firstRead.status).toBe(201);
    const read = { body: (await firstRead.json()) as { consistencyToken: string } };
    // Idempotent: marking it again answers the same, and the other tenant still gets 404.
    expect((await markAsRep()).status).toBe(201);
    await stack.as('b').post(`/notifications/${notificationId}/read`).expect(404);
    const unread = await api()
      .get(`/notifications?userId=${repId}&unread=true&consistency=${read.body.consistencyToken}`)
      .expect(200);
    expect(unread.body.items).toEqual([]);
  });

  it('keeps rules apart per tenant and stops firing when disabled', async () => {
    const rule = await api()
      .post('/rules', {
        name: 'Won deals',
        trigger: { eventType: 'DealValueChanged', field: 'value' },
        actions: [{ type: 'notify', users: ['manager-1'], message: 'value changed' }],
      })
      .expect(201);
    const ruleId = rule.body.id as string;
    await stack.as('b').get(`/rules/${ruleId}`).expect(404);
    await stack.as('b').get(`/rules/${ruleId}/firings`).expect(404);
    await api().post(`/rules/${ruleId}/disable`).expect(200);
    expect((await api().get(`/rules/${ruleId}`).expect(200)).body.enabled).toBe(false);
    await api().delete(`/rules/${ruleId}`).expect(200);
    await api().get(`/rules/${ruleId}`).expect(404);
  });

  it('refuses to define or enable one rule more than the limit of enabled rules', async () => {
    const body = {
      name: 'One too many',
      trigger: { eventType: 'DealWon' },
      actions: [{ type: 'notify', users: ['manager-1'], message: 'won' }],
    };
    const spare = await stack.as('b').post('/rules', body).expect(201);
    const spareId = spare.body.id as string;
    await stack.as('b').post(`/rules/${spareId}/disable`).expect(200);
    // Rows standing for tenant B's other enabled rules, on a trigger no event has, so the
    // engine never fires them: defining that many through the API would take long.
    const fillers = Array.from({ length: MAX_ENABLED_RULES }, () => randomUUID());
    await pool.query(
      `INSERT INTO automation.rules (tenant_id, rule_id, status, event_type, definition, version,
         created_at, updated_at)
       SELECT $1, id, 'enabled', 'NoSuchEvent', '{}', 1, now(), now() FROM unnest($2::text[]) id`,
      [stack.tenants.b, fillers],
    );
    try {
      const refused = await stack.as('b').post('/rules', body).expect(409);
      expect(refused.body.code).toBe('AUTOMATION.RULE_LIMIT_REACHED');
      expect(refused.body.message).toContain(`at most ${MAX_ENABLED_RULES} enabled rules`);
      await stack.as('b').post(`/rules/${spareId}/enable`).expect(409);
      // Another tenant is not affected.
      const other = await api().post('/rules', body).expect(201);
      await api()
        .delete(`/rules/${other.body.id as string}`)
        .expect(200);
    } finally {
      await pool.query('DELETE FROM automation.rules WHERE tenant_id = $1 AND rule_id = ANY($2)', [
        stack.tenants.b,
        fillers,
      ]);
    }
    await stack.as('b').post(`/rules/${spareId}/enable`).expect(200);
    await stack.as('b').delete(`/rules/${spareId}`).expect(200);
  });

  const taskContext = () => ({
    tenantId: stack.tenants.a,
    actor: { type: 'user' as const, id: 'rep-a' },
    correlationId: randomUUID(),
  });

  async function scheduleTask(dueInMs: number): Promise<string> {
    const taskId = randomUUID();
    await activities.append(
      `task-${stack.tenants.a}:${taskId}`,
      'Task',
      [
        {
          type: 'TaskCreated',
          data: {
            taskId,
            title: 'Send the offer',
            dueAt: new Date(Date.now() + dueInMs).toISOString(),
            assigneeId: repId,
            priority: 'normal',
            related: { personId: null, companyId: null, dealId: null },
            reminder: true,
            source: { type: 'user' },
            personal: { notes: null },
          },
        },
      ],
      { expectedVersion: 'no_stream', context: taskContext() },
    );

    return taskId;
  }

  async function reminderOf(taskId: string, state: string): Promise<ReminderView | undefined> {
    const response = await api().get(`/reminders?taskId=${taskId}`).expect(200);
    const [reminder] = response.body.items as ReminderView[];

    return reminder?.state === state ? reminder : undefined;
  }

  it('sends a reminder once across restarts of the automation service', async () => {
    const taskId = await scheduleTask(3000);
    await eventually(() => reminderOf(taskId, 'scheduled'));
    await stack.stack.restart('automation');

    const sent = await eventually(() => reminderOf(taskId, 'sent'), 20_000);
    await stack.stack.restart('automation');
    // A second reminder sent after the restart proves the scheduler ran since.
    const later = await scheduleTask(0);
    await eventually(() => reminderOf(later, 'sent'), 20_000);

    const messages = await catcher.messages();
    expect(messages.some((m) => m.subject === 'Reminder: Send the offer')).toBe(true);
    const copies = messages.filter((m) => m.messageId?.includes(sent.reminderId));
    expect(copies).toHaveLength(1);
    expect(copies[0].to).toContain('rep@example.test');
  });

  it('reschedules a reminder with its task and cancels it when the task is done', async () => {
    const taskId = await scheduleTask(60 * 60 * 1000);
    const scheduled = await eventually(() => reminderOf(taskId, 'scheduled'));
    const streamId = `task-${stack.tenants.a}:${taskId}`;
    const dueAt = '2031-05-01T08:00:00.000Z';
    const data = { taskId, dueAt, previousDueAt: scheduled.dueAt };
    await activities.append(streamId, 'Task', [{ type: 'TaskRescheduled', data }], {
      expectedVersion: 1,
      context: taskContext(),
    });
    const moved = await eventually(async () => {
      const reminder = await reminderOf(taskId, 'scheduled');

      return reminder?.dueAt === dueAt ? reminder : undefined;
    });
    expect(moved.reminderId).not.toBe(scheduled.reminderId);
    await activities.append(
      streamId,
      'Task',
      [{ type: 'TaskCompleted', data: { taskId, outcome: null } }],
      { expectedVersion: 2, context: taskContext() },
    );
    await eventually(() => reminderOf(taskId, 'cancelled'));
  });

  it('posts subscribed events signed, and retries a failing receiver with backoff', async () => {
    receiver.failures.set('/flaky', 2);
    const created = await api()
      .post('/webhooks', { url: `${receiver.url}/flaky`, eventTypes: ['DealOpened'] })
      .expect(201);
    const { id: subscriptionId, secret } = created.body as { id: string; secret: string };
    expect(secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    const shown = await api().get(`/webhooks/${subscriptionId}`).expect(200);
    expect(JSON.stringify(shown.body)).not.toContain(secret);
    await stack.as('b').get(`/webhooks/${subscriptionId}`).expect(404);

    const dealId = await openDeal(42);
    const delivery = await eventually(async () => {
      const response = await api().get(`/webhooks/${subscriptionId}/deliveries`).expect(200);
      const [first] = response.body.items as WebhookDeliveryView[];

      return first?.status === 'delivered' ? first : undefined;
    });
    expect(delivery.attempts.map((a) => [a.outcome, a.httpStatus])).toEqual([
      ['failed', 500],
      ['failed', 500],
      ['delivered', 204],
    ]);
    const [first, second] = delivery.attempts;
    // Exponential backoff: the second wait is twice the first (200 ms, then 400 ms).
    expect(Date.parse(first.nextAttemptAt!) - Date.parse(first.at)).toBe(200);
    expect(Date.parse(second.nextAttemptAt!) - Date.parse(second.at)).toBe(400);

    const posts = receiver.received.filter((r) => r.path === '/flaky');
    expect(posts).toHaveLength(3);
    for (const post of posts) {
      const expected = createHmac('sha256', secret).update(post.body).digest('hex');
      expect(post.headers['x-relate-signature']).toBe(`sha256=${expected}`);
      expect(post.headers['x-relate-delivery']).toBe(delivery.id);
      expect(post.headers['x-relate-event']).toBe('DealOpened');
    }
    expect(JSON.parse(posts[0].body).payload.data.dealId).toBe(dealId);
  });

  it('posts a rule firing to the webhook the rule names', async () => {
    const created = await api()
      .post('/webhooks', { url: `${receiver.url}/rules`, eventTypes: ['RuleFired'] })
      .expect(201);
    const subscriptionId = created.body.id as string;
    const missing = await api()
      .post('/rules', {
        name: 'Hook',
        trigger: { eventType: 'DealWon' },
        actions: [{ type: 'webhook', subscriptionId: randomUUID() }],
      })
      .expect(400);
    expect(missing.body.violations).toEqual([
      { field: 'actions[0].subscriptionId', reason: 'no such webhook' },
    ]);
    const rule = await api()
      .post('/rules', {
        name: 'Hook',
        trigger: { eventType: 'DealWon' },
        actions: [{ type: 'webhook', subscriptionId }],
      })
      .expect(201);
    const dealId = await openDeal(7);
    await api().post(`/deals/${dealId}/won`, {}).expect(200);

    const post = await eventually(async () => receiver.received.find((r) => r.path === '/rules'));
    const body = JSON.parse(post.body);
    expect(post.headers['x-relate-event']).toBe('RuleFired');
    expect(body.payload).toMatchObject({ ruleId: rule.body.id, record: { dealId } });
  });

  it('never fires on tasks its own rules created (loop guard), but on a user task', async () => {
    const watcher = await api()
      .post('/rules', {
        name: 'Every new task',
        trigger: { eventType: 'TaskCreated' },
        actions: [{ type: 'notify', users: ['loop-watcher'], message: 'new task' }],
      })
      .expect(201);
    const watcherId = watcher.body.id as string;
    const follow = await api()
      .post('/rules', {
        name: 'Lead follow-up',
        trigger: { eventType: 'DealMovedToStage', toStageId: stage.lead },
        actions: [{ type: 'createTask', title: 'Follow up', dueInDays: 1, assignTo: 'owner' }],
      })
      .expect(201);
    const dealId = await openDeal(10);
    await api().post(`/deals/${dealId}/stage`, { stageId: stage.demo }).expect(200);
    await api().post(`/deals/${dealId}/stage`, { stageId: stage.lead }).expect(200);
    const [firing] = await eventually(async () => {
      const firings = await firingsOf(follow.body.id as string);

      return firings.length === 1 && firings[0].actions.length === 1 ? firings : undefined;
    });
    const ruleTaskStream = `task-${stack.tenants.a}:${firing.actions[0].resultId}`;
    // The rule engine has applied the automation-created TaskCreated ...
    await engineApplied(ruleTaskStream);
    // ... and a task a user creates afterwards fires the watcher, once.
    const userTask = await api()
      .post('/tasks', { title: 'Mine', dueAt: '2030-01-01T09:00:00Z', dealId })
      .expect(201);
    const firings = await eventually(async () => {
      const list = await firingsOf(watcherId);

      return list.length > 0 ? list : undefined;
    });
    expect(firings.map((f) => f.trigger.streamId)).toEqual([
      `task-${stack.tenants.a}:${userTask.body.id}`,
    ]);
  });

  /** The firings a rule's events record in the event store (the engine's own output). */
  async function firedTimes(ruleId: string): Promise<number> {
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM automation.events
       WHERE type = 'RuleFired' AND tenant_id = $1 AND data->>'ruleId' = $2`,
      [stack.tenants.a, ruleId],
    );

    return rows[0].n as number;
  }

  it('a TaskCreated rule that creates a task fires once: its task is automation’s', async () => {
    const rule = await api()
      .post('/rules', {
        name: 'Task begets task',
        trigger: { eventType: 'TaskCreated' },
        actions: [
          { type: 'createTask', title: 'Again', dueInDays: 1, assignTo: repId, priority: 'high' },
        ],
      })
      .expect(201);
    const ruleId = rule.body.id as string;
    const userTask = await api()
      .post('/tasks', { title: 'Seed', dueAt: '2030-01-01T09:00:00Z', assigneeId: repId })
      .expect(201);
    const [firing] = await eventually(async () => {
      const firings = await firingsOf(ruleId);

      return firings.length === 1 && firings[0].actions.length === 1 ? firings : undefined;
    });
    expect(firing.trigger.streamId).toBe(`task-${stack.tenants.a}:${userTask.body.id}`);
    const ruleTaskId = firing.actions[0].resultId;
    const ruleTaskStream = `task-${stack.tenants.a}:${ruleTaskId}`;
    // The task the activities service created for the request carries automation's actor ...
    const [created] = await eventually(async () => {
      const events = await activities.readStream(stack.tenants.a, ruleTaskStream);

      return events.length > 0 ? events : undefined;
    });
    expect(created).toMatchObject({ type: 'TaskCreated', actor: AUTOMATION_ACTOR });
    expect(created.data).toMatchObject({ priority: 'high', source: { type: 'rule', ruleId } });
    // ... so once the engine has applied it, the rule has still fired once, not on its own task.
    await engineApplied(ruleTaskStream);
    expect(await firedTimes(ruleId)).toBe(1);
    await api().post(`/rules/${ruleId}/disable`).expect(200);
  });

  it('accepts rules on a template or webhook and keeps deliveries during a rebuild', async () => {
    const template = await api()
      .post('/email-templates', { name: 'Rebuilt', subject: 'Hi', body: '{{deal.title}}' })
      .expect(201);
    const hook = await api()
      .post('/webhooks', { url: `${receiver.url}/rebuilding`, eventTypes: ['RuleFired'] })
      .expect(201);
    const subscriptionId = hook.body.id as string;
    const automationUrl = stack.stack.serviceUrls.automation;
    const projections = ['automation-email-templates', 'automation-webhooks'];
    const rebuild = await fetch(`${automationUrl}/ops/read-models/rebuild`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ projections }),
    });
    // 202: both tables are dropped and being refilled from the topic from here on.
    expect(rebuild.status).toBe(202);

    // Rule validation asks the streams, not the refilling tables.
    const rule = await api()
      .post('/rules', {
        name: 'During a rebuild',
        trigger: { eventType: 'DealWon' },
        actions: [
          { type: 'sendEmail', templateId: template.body.id, to: 'owner' },
          { type: 'webhook', subscriptionId },
        ],
      })
      .expect(201);
    await api().post(`/rules/${rule.body.id}/disable`).expect(200);
    const unknown = await api()
      .post('/rules', {
        name: 'No such template',
        trigger: { eventType: 'DealWon' },
        actions: [{ type: 'sendEmail', templateId: randomUUID(), to: 'owner' }],
      })
      .expect(400);
    expect(unknown.body.violations).toEqual([
      { field: 'actions[0].templateId', reason: 'no such email template' },
    ]);
    // A delivery due now: the deliverer must wait for the subscription, not cancel it.
    const deliveryId = randomUUID();
    await pool.query(
      `INSERT INTO automation.webhook_deliveries (tenant_id, delivery_id, subscription_id,
         event_type, event_id, body, status, next_attempt_at, created_at)
       VALUES ($1, $2, $3, 'RuleFired', $4, '{}', 'pending', now(), now())`,
      [stack.tenants.a, deliveryId, subscriptionId, randomUUID()],
    );

    const delivered = await eventually(async () => {
      const response = await api().get(`/webhooks/${subscriptionId}/deliveries`);
      const items = (response.body.items ?? []) as WebhookDeliveryView[];
      const delivery = items.find((item) => item.id === deliveryId);

      return delivery && delivery.status !== 'pending' ? delivery : undefined;
    }, 30_000);
    expect(delivered.status).toBe('delivered');
    expect(delivered.attempts.map((a) => a.outcome)).toEqual(['delivered']);
    expect(receiver.received.filter((r) => r.path === '/rebuilding')).toHaveLength(1);
  });
});
