import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

import { FiringActionView, FiringView, salesRepStreamId } from '@relate/contracts';
import { MailCatcher } from '@relate/mail';

import { E2eStack, eventually, startE2eStack } from '../testing/e2e-stack';

describe('what became of a firing’s actions, through the gateway', () => {
  let stack: E2eStack;
  let catcher: MailCatcher;
  let mailDir: string;
  let pool: Pool;
  const api = () => stack.as('a');
  const pipelineId = randomUUID();
  const withEmail = randomUUID();
  const withoutEmail = randomUUID();
  let ruleId: string;

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'relate-firing-outcomes-mail-'));
    const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
    catcher = await MailCatcher.start({ dir: mailDir, logger: quiet });
    stack = await startE2eStack('firing-outcomes', {
      mail: { smtpUrl: catcher.url, from: 'relate@example.test' },
    });
    pool = new Pool({ connectionString: stack.stack.settings.databaseUrl, max: 2 });
    await api()
      .post('/pipelines', {
        id: pipelineId,
        name: 'Sales',
        stages: [
          { name: 'Lead', kind: 'open' },
          { name: 'Won', kind: 'won' },
          { name: 'Lost', kind: 'lost' },
        ],
      })
      .expect(201);
    await api()
      .post('/reps', { id: withEmail, name: 'Mailed', email: 'm@example.test' })
      .expect(201);
    await api().post('/reps', { id: withoutEmail, name: 'Unmailed' }).expect(201);
    const template = await api()
      .post('/email-templates', { name: 'Opened', subject: 'Opened {{deal.title}}', body: 'b' })
      .expect(201);
    const rule = await api()
      .post('/rules', {
        name: 'Every new deal',
        trigger: { eventType: 'DealOpened' },
        actions: [
          { type: 'createTask', title: 'Qualify {{deal.title}}', dueInDays: 1, assignTo: 'owner' },
          { type: 'sendEmail', templateId: template.body.id, to: 'owner' },
          { type: 'notify', users: ['owner'], message: 'New deal' },
        ],
      })
      .expect(201);
    ruleId = rule.body.id as string;
    // The engine takes the owner's email from its own state: it must know the rep first.
    await eventually(async () => {
      const { rows } = await pool.query(
        `SELECT 1 FROM automation.projection_stream_versions
         WHERE projection = 'automation-rule-engine' AND stream_id = $1`,
        [salesRepStreamId(stack.tenants.a, withEmail)],
      );

      return rows.length === 1 ? true : undefined;
    });
  });

  afterAll(async () => {
    await pool?.end();
    await stack?.stop();
    await catcher?.stop();
    await rm(mailDir, { recursive: true, force: true });
  });

  /** The firing of the deal, once each of its actions has reached a final status. */
  async function settledFiring(dealId: string): Promise<FiringActionView[]> {
    return eventually(async () => {
      const response = await api().get(`/rules/${ruleId}/firings`).expect(200);
      const firing = (response.body.items as FiringView[]).find((f) => f.record.dealId === dealId);
      const pending = ['requested', 'queued'];

      return firing?.actions.length === 3 &&
        firing.actions.every((action) => !pending.includes(action.status))
        ? firing.actions
        : undefined;
    }, 20_000);
  }

  async function openDeal(ownerId?: string): Promise<string> {
    const dealId = randomUUID();
    await api()
      .post('/deals', {
        id: dealId,
        title: 'D',
        pipelineId,
        value: 10,
        ...(ownerId && { ownerId }),
      })
      .expect(201);

    return dealId;
  }

  it('shows the task created, the email sent and the notification for an owned deal', async () => {
    const actions = await settledFiring(await openDeal(withEmail));

    expect(actions).toEqual([
      expect.objectContaining({ action: 'createTask', status: 'created', reason: null }),
      expect.objectContaining({ action: 'sendEmail', status: 'sent', reason: null }),
      expect.objectContaining({ action: 'notify', status: 'created', reason: null }),
    ]);
    const task = await api().get(`/tasks/${actions[0].resultId}`).expect(200);
    expect(task.body.source).toMatchObject({ type: 'rule', ruleId });
  });

  it('says an email was not sent for lack of an address', async () => {
    const actions = await settledFiring(await openDeal(withoutEmail));

    expect(actions[1]).toMatchObject({
      type: 'EmailQueued',
      action: 'sendEmail',
      status: 'not-sent',
      reason: 'no-address',
    });
  });

  it('records the mail and notification of an owner-less deal as skipped: no owner', async () => {
    const actions = await settledFiring(await openDeal());

    expect(actions).toEqual([
      expect.objectContaining({ action: 'createTask', status: 'created' }),
      {
        type: 'RuleActionSkipped',
        action: 'sendEmail',
        resultId: null,
        status: 'skipped',
        reason: 'no-owner',
      },
      {
        type: 'RuleActionSkipped',
        action: 'notify',
        resultId: null,
        status: 'skipped',
        reason: 'no-owner',
      },
    ]);
  });
});
