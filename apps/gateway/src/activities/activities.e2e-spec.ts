import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

import {
  ActivityView,
  AUTOMATION_ACTOR,
  AutomationStreams,
  EventEnvelope,
  FollowUpTaskRequestedData,
  firingStreamId,
  taskStreamId,
  TaskView,
} from '@relate/contracts';
import { PostgresEventStore } from '@relate/event-store';
import { EventPublisher } from '@relate/messaging';

import { E2eStack, eventually, startE2eStack } from '../testing/e2e-stack';

describe('activities and tasks through the gateway', () => {
  let stack: E2eStack;
  const api = () => stack.as('a');
  const personId = randomUUID();
  const companyId = randomUUID();
  const dealId = randomUUID();
  const call = randomUUID();
  const note = randomUUID();
  const task = randomUUID();

  beforeAll(async () => {
    stack = await startE2eStack('activities');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function activity(id: string, token?: string): Promise<ActivityView> {
    const query = token ? `?consistency=${token}` : '';

    return (await api().get(`/activities/${id}${query}`).expect(200)).body as ActivityView;
  }

  it('logs activities at their business time; the logging rep owns them by default', async () => {
    const logged = await api()
      .post('/activities', {
        id: call,
        kind: 'call',
        occurredAt: '2026-01-10T09:30:00+01:00',
        direction: 'outbound',
        outcome: 'connected',
        durationMinutes: 12,
        personId,
        dealId,
        subject: 'Pricing',
      })
      .expect(201);
    expect(logged.body).toEqual({ id: call, version: 1, consistencyToken: expect.any(String) });
    expect(logged.headers.etag).toBe('"1"');
    await api()
      .post('/activities', {
        id: note,
        kind: 'note',
        occurredAt: '2026-01-12T15:00:00Z',
        companyId,
        ownerId: 'rep-z',
        body: 'Budget approved in Q2',
      })
      .expect(201);

    expect(await activity(call, logged.body.consistencyToken)).toMatchObject({
      id: call,
      kind: 'call',
      occurredAt: '2026-01-10T08:30:00.000Z',
      direction: 'outbound',
      durationMinutes: 12,
      ownerId: 'rep-a',
      personId,
      dealId,
      companyId: null,
      loggedBy: 'rep-a',
      version: 1,
    });
  });

  it('refuses bad input naming each field, and an activity about no record', async () => {
    const bad = await api()
      .post('/activities', {
        kind: 'fax',
        occurredAt: '2026-01-10',
        durationMinutes: 2000,
        personId: 'nobody',
        extra: true,
      })
      .expect(400);
    const fields = bad.body.violations.map((v: { field: string }) => v.field);
    expect(fields).toEqual(
      expect.arrayContaining(['kind', 'occurredAt', 'durationMinutes', 'personId', 'extra']),
    );

    const unrelated = await api()
      .post('/activities', { kind: 'email', occurredAt: '2026-01-10T10:00:00Z' })
      .expect(400);
    expect(unrelated.body.violations).toEqual([
      { field: 'personId', reason: 'one of personId, companyId, dealId is needed' },
    ]);
    const future = await api()
      .post('/activities', { kind: 'call', occurredAt: '2999-01-01T00:00:00Z', personId })
      .expect(400);
    expect(future.body.violations).toEqual([
      { field: 'occurredAt', reason: 'must not be in the future' },
    ]);
  });

  it('filters activities by record, owner, kind and time, newest first', async () => {
    const ids = async (query: string) => {
      const response = await api().get(`/activities?${query}`).expect(200);

      return (response.body.items as ActivityView[]).map((item) => item.id);
    };
    await eventually(async () => ((await ids('')).length === 2 ? true : undefined));

    expect(await ids('')).toEqual([note, call]);
    expect(await ids(`personId=${personId}`)).toEqual([call]);
    expect(await ids(`dealId=${dealId}`)).toEqual([call]);
    expect(await ids(`companyId=${companyId}`)).toEqual([note]);
    expect(await ids('ownerId=rep-z')).toEqual([note]);
    expect(await ids('kind=call')).toEqual([call]);
    expect(await ids('from=2026-01-11&to=2026-01-12')).toEqual([note]);
    expect(await ids('to=2026-01-10')).toEqual([call]);
    await api().get('/activities?kind=fax').expect(400);
    await api().get('/activities?from=yesterday').expect(400);
  });

  it('corrects an activity against its version, and answers 409 to a stale one', async () => {
    const corrected = await api()
      .patch(`/activities/${call}`, { outcome: 'left-voicemail', durationMinutes: 1 })
      .set('If-Match', '"1"')
      .expect(200);
    expect(corrected.headers.etag).toBe('"2"');
    const stale = await api()
      .patch(`/activities/${call}`, { outcome: 'connected' })
      .set('If-Match', '"1"')
      .expect(409);
    expect(stale.body.error).toBe('WRONG_EXPECTED_VERSION');

    expect(await activity(call, corrected.body.consistencyToken)).toMatchObject({
      outcome: 'left-voicemail',
      durationMinutes: 1,
      version: 2,
    });
  });

  it('deletes an activity: it is gone from reads, and a second delete finds nothing', async () => {
    const deleted = await api().delete(`/activities/${note}`).expect(200);
    expect(deleted.body.version).toBe(2);
    await api().get(`/activities/${note}?consistency=${deleted.body.consistencyToken}`).expect(404);
    const again = await api().delete(`/activities/${note}`).expect(404);
    expect(again.body.code).toBe('ACTIVITIES.ACTIVITY_NOT_FOUND');
  });

  it('creates, changes, completes, reopens, reschedules and reassigns a task', async () => {
    const created = await api()
      .post('/tasks', {
        id: task,
        title: 'Send the quote',
        dueAt: '2026-02-01T10:00:00Z',
        dealId,
        priority: 'high',
      })
      .expect(201);
    const token = created.body.consistencyToken;
    const read = await api().get(`/tasks/${task}?consistency=${token}`).expect(200);
    expect(read.body).toMatchObject({
      id: task,
      title: 'Send the quote',
      assigneeId: 'rep-a',
      status: 'open',
      reminder: true,
      source: { type: 'user' },
      version: 1,
    });

    await api().patch(`/tasks/${task}`, { notes: 'Include support' }).expect(200);
    await api().post(`/tasks/${task}/complete`, { outcome: 'Sent' }).expect(200);
    const twice = await api().post(`/tasks/${task}/complete`, {}).expect(200);
    expect(twice.body.version).toBe(3);
    const moved = await api()
      .post(`/tasks/${task}/reschedule`, { dueAt: '2026-02-03T10:00:00Z' })
      .expect(409);
    expect(moved.body.error).toBe('TASK_DONE');
    await api().post(`/tasks/${task}/reopen`).expect(200);
    await api()
      .post(`/tasks/${task}/reschedule`, { dueAt: '2026-02-03T10:00:00+01:00' })
      .set('If-Match', '"4"')
      .expect(200);
    const assigned = await api().post(`/tasks/${task}/assign`, { assigneeId: 'rep-b' }).expect(200);

    const final = await api()
      .get(`/tasks/${task}?consistency=${assigned.body.consistencyToken}`)
      .expect(200);
    expect(final.body).toMatchObject({
      status: 'open',
      dueAt: '2026-02-03T09:00:00.000Z',
      assigneeId: 'rep-b',
      notes: 'Include support',
      completedAt: null,
      version: 6,
    });
  });

  it('refuses bad task input naming each field', async () => {
    const bad = await api()
      .post('/tasks', { title: '', dueAt: 'soon', priority: 'urgent', reminder: 'yes' })
      .expect(400);
    const fields = bad.body.violations.map((v: { field: string }) => v.field);
    expect(fields).toEqual(expect.arrayContaining(['title', 'dueAt', 'priority', 'reminder']));
    const noZone = await api()
      .post(`/tasks/${task}/reschedule`, { dueAt: '2026-02-03T10:00:00' })
      .expect(400);
    expect(noZone.body.violations[0].field).toBe('dueAt');
    await api().post(`/tasks/${task}/assign`, { assigneeId: 'a b' }).expect(400);
    await api().get('/tasks?status=closed').expect(400);
  });

  it('filters tasks by assignee, status, due range and record', async () => {
    const other = randomUUID();
    const created = await api()
      .post('/tasks', { id: other, title: 'Intro call', dueAt: '2026-03-01T08:00:00Z', personId })
      .expect(201);
    const ids = async (query: string) => {
      const response = await api()
        .get(`/tasks?${query}&consistency=${created.body.consistencyToken}`)
        .expect(200);

      return (response.body.items as TaskView[]).map((item) => item.id);
    };

    expect(await ids('')).toEqual([task, other]);
    expect(await ids('assigneeId=rep-b')).toEqual([task]);
    expect(await ids('status=open&assigneeId=rep-a')).toEqual([other]);
    expect(await ids('status=done')).toEqual([]);
    expect(await ids('dueFrom=2026-02-15&dueTo=2026-03-01')).toEqual([other]);
    expect(await ids(`personId=${personId}`)).toEqual([other]);
    expect(await ids(`dealId=${dealId}`)).toEqual([task]);
  });

  it('keeps tenants apart: another tenant’s ids answer 404', async () => {
    const other = stack.as('b');
    await other.get(`/activities/${call}`).expect(404);
    await other.get(`/tasks/${task}`).expect(404);
    await other.patch(`/activities/${call}`, { outcome: 'x' }).expect(404);
    await other.post(`/tasks/${task}/complete`, {}).expect(404);
    await other.delete(`/activities/${call}`).expect(404);
    const list = await other.get('/activities').expect(200);
    expect(list.body.total).toBe(0);
  });

  it('creates the task a rule firing requests once, however often it is delivered', async () => {
    const { settings, database, tenants } = stack.stack;
    const pool = new Pool({ connectionString: database.url, max: 2 });
    const automation = new PostgresEventStore(pool, { schema: 'automation' });
    const publisher = new EventPublisher({
      brokers: settings.kafkaBrokers,
      clientId: `${stack.stack.run}-automation-test`,
    });
    const firingId = randomUUID();
    const streamId = firingStreamId(tenants.a.tenantId, firingId);
    const request = (taskId: string, priority?: 'high'): FollowUpTaskRequestedData => ({
      firingId,
      ruleId: 'rule-1',
      taskId,
      title: 'Follow up on the won deal',
      dueAt: '2026-04-01T09:00:00Z',
      assigneeId: 'rep-a',
      related: { personId: null, companyId: null, dealId },
      ...(priority ? { priority } : {}),
    });
    const ruleTask = randomUUID();
    const sentinel = randomUUID();
    const context = {
      tenantId: tenants.a.tenantId,
      actor: AUTOMATION_ACTOR,
      correlationId: 'corr-rule-1',
    };
    try {
      await publisher.connect();
      const type = AutomationStreams.firing.type;
      await automation.append(
        streamId,
        type,
        [{ type: 'FollowUpTaskRequested', data: request(ruleTask) }],
        { expectedVersion: 'no_stream', context },
      );
      await eventually(async () => {
        const response = await api().get(`/tasks/${ruleTask}`);

        return response.status === 200 ? true : undefined;
      });
      // The same request again, as a redelivery would bring it; then a later one on the same
      // stream (same partition): once that task exists, the duplicate was handled.
      const [requested] = await automation.readStream(tenants.a.tenantId, streamId);
      await publisher.publish(settings.topics!.automation!, [requested as EventEnvelope]);
      await automation.append(
        streamId,
        type,
        [
          { type: 'SomeFutureAutomationEvent', data: { firingId } },
          { type: 'FollowUpTaskRequested', data: request(sentinel, 'high') },
        ],
        { expectedVersion: 1, context },
      );
      const asked = await eventually(async () => {
        const response = await api().get(`/tasks/${sentinel}`);

        return response.status === 200 ? (response.body as TaskView) : undefined;
      });
      // The rule's priority is the task's; a request without one gets normal.
      expect(asked.priority).toBe('high');

      const task = await api().get(`/tasks/${ruleTask}`).expect(200);
      expect(task.body).toMatchObject({
        title: 'Follow up on the won deal',
        assigneeId: 'rep-a',
        source: { type: 'rule', ruleId: 'rule-1', firingId },
        priority: 'normal',
        version: 1,
      });
      const activities = new PostgresEventStore(pool, { schema: 'activities' });
      const events = await activities.readStream(
        tenants.a.tenantId,
        taskStreamId(tenants.a.tenantId, ruleTask),
      );
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        type: 'TaskCreated',
        actor: AUTOMATION_ACTOR,
        causationId: requested.id,
        correlationId: 'corr-rule-1',
      });
    } finally {
      await publisher.disconnect();
      await pool.end();
    }
  });
});
