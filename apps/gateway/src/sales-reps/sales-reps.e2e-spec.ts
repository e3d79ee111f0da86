import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

import { Report, ReminderView } from '@relate/contracts';
import { MailCatcher } from '@relate/mail';

import { E2eStack, eventually, startE2eStack } from '../testing/e2e-stack';

describe('changing a sales rep through the gateway', () => {
  let stack: E2eStack;
  let catcher: MailCatcher;
  let mailDir: string;
  let pool: Pool;
  const api = () => stack.as('a');
  const repId = randomUUID();
  const pipelineId = randomUUID();
  const stage = { open: randomUUID(), won: randomUUID(), lost: randomUUID() };

  beforeAll(async () => {
    mailDir = await mkdtemp(join(tmpdir(), 'relate-reps-mail-'));
    const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
    catcher = await MailCatcher.start({ dir: mailDir, logger: quiet });
    stack = await startE2eStack('reps', {
      mail: { smtpUrl: catcher.url, from: 'relate@example.test' },
      reminderPollMs: 200,
    });
    pool = new Pool({ connectionString: stack.stack.settings.databaseUrl, max: 2 });
    // As the import registers reps: no email.
    await api()
      .post('/reps', {
        id: repId,
        name: 'Imported Rep',
        manager: 'Old Boss',
        regionalOffice: 'East',
      })
      .expect(201);
    await api()
      .post('/pipelines', {
        id: pipelineId,
        name: 'Sales',
        stages: [
          { id: stage.open, name: 'Lead', kind: 'open' },
          { id: stage.won, name: 'Won', kind: 'won' },
          { id: stage.lost, name: 'Lost', kind: 'lost' },
        ],
      })
      .expect(201);
  });

  afterAll(async () => {
    await pool?.end();
    await stack?.stop();
    await catcher?.stop();
    await rm(mailDir, { recursive: true, force: true });
  });

  /** Waits until both automation reactors' shared rep table has the rep's address. */
  async function automationKnowsEmail(email: string): Promise<void> {
    await eventually(async () => {
      const { rows } = await pool.query<{ email: string | null }>(
        'SELECT email FROM automation.rep_emails WHERE sales_rep_id = $1',
        [repId],
      );

      return rows[0]?.email === email ? true : undefined;
    });
  }

  it('refuses a bad change (400), a stale If-Match (409), an unknown rep (404)', async () => {
    const bad = await api().patch(`/reps/${repId}`, { email: 'nobody', name: '' }).expect(400);
    expect(bad.body.violations).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'email' })]),
    );
    await api().patch(`/reps/${repId}`, { email: 'a@b.test' }).set('If-Match', '"7"').expect(409);
    await api().patch(`/reps/${randomUUID()}`, { email: 'a@b.test' }).expect(404);
    await stack.as('b').patch(`/reps/${repId}`, { email: 'a@b.test' }).expect(404);
  });

  it('gives an imported rep an email that reminders and rule emails then use', async () => {
    const changed = await api()
      .patch(`/reps/${repId}`, { email: 'imported@example.test' })
      .set('If-Match', '"1"')
      .expect(200);
    const rep = await api()
      .get(`/reps/${repId}?consistency=${changed.body.consistencyToken}`)
      .expect(200);
    expect(rep.body).toMatchObject({ email: 'imported@example.test', manager: 'Old Boss' });
    await automationKnowsEmail('imported@example.test');

    const task = await api()
      .post('/tasks', {
        title: 'Call the imported lead',
        dueAt: new Date().toISOString(),
        assigneeId: repId,
      })
      .expect(201);
    const reminder = await eventually(async () => {
      const response = await api().get(`/reminders?taskId=${task.body.id}`).expect(200);
      const [found] = response.body.items as ReminderView[];

      return found?.state === 'sent' ? found : undefined;
    }, 20_000);
    const messages = await catcher.messages();
    const copy = messages.find((m) => m.messageId?.includes(reminder.reminderId));
    expect(copy?.to).toContain('imported@example.test');

    const template = await api()
      .post('/email-templates', { name: 'Opened', subject: 'New: {{deal.title}}', body: 'b' })
      .expect(201);
    await api()
      .post('/rules', {
        name: 'Tell the owner',
        trigger: { eventType: 'DealOpened' },
        actions: [{ type: 'sendEmail', templateId: template.body.id, to: 'owner' }],
      })
      .expect(201);
    await api()
      .post('/deals', { title: 'Imported deal', pipelineId, value: 10, ownerId: repId })
      .expect(201);
    const mail = await eventually(async () =>
      (await catcher.messages()).find((m) => m.subject === 'New: Imported deal'),
    );
    expect(mail.to).toContain('imported@example.test');
  });

  it('regroups reports under the rep’s new manager and office', async () => {
    const dealId = randomUUID();
    await api()
      .post('/deals', { id: dealId, title: 'Won deal', pipelineId, value: 100, ownerId: repId })
      .expect(201);
    await api().post(`/deals/${dealId}/won`, { value: 100 }).expect(200);
    const groups = async (groupBy: string) => {
      const response = await api().get(`/reports/win-rate?groupBy=${groupBy}`).expect(200);

      return (response.body as Report<Record<string, unknown>>).rows.map((row) => row.group);
    };
    await eventually(async () => ((await groups('manager'))[0] === 'Old Boss' ? true : undefined));

    const rep = await api().get(`/reps/${repId}`).expect(200);
    await api()
      .patch(`/reps/${repId}`, { manager: 'New Boss', regionalOffice: 'West' })
      .set('If-Match', `"${rep.body.version}"`)
      .expect(200);

    await eventually(async () => ((await groups('manager'))[0] === 'New Boss' ? true : undefined));
    expect(await groups('office')).toEqual(['West']);
  });
});
