import { randomUUID } from 'node:crypto';

import { FollowUpsView, Page, TimelineItem } from '@relate/contracts';

import { E2eStack, eventually, startE2eStack } from '../testing/e2e-stack';

const HOUR = 3_600_000;

describe('timelines, engagement and follow-ups through the gateway', () => {
  let stack: E2eStack;
  const api = () => stack.as('a');
  const owner = randomUUID();
  const pipelineId = randomUUID();
  const stage = { prospecting: randomUUID(), engaging: randomUUID() };
  const company = randomUUID();
  const quietCompany = randomUUID();
  const person = randomUUID();
  const deal = { worked: randomUUID(), fresh: randomUUID(), won: randomUUID() };
  const meeting = randomUUID();
  const call = randomUUID();
  const note = randomUUID();
  const nextTask = randomUUID();

  async function timeline(path: string): Promise<Page<TimelineItem>> {
    return (await api().get(path).expect(200)).body as Page<TimelineItem>;
  }

  beforeAll(async () => {
    stack = await startE2eStack('timelines');
    await api()
      .post('/pipelines', {
        id: pipelineId,
        name: 'Sales',
        stages: [
          { id: stage.prospecting, name: 'Prospecting', kind: 'open' },
          { id: stage.engaging, name: 'Engaging', kind: 'open' },
          { name: 'Won', kind: 'won' },
          { name: 'Lost', kind: 'lost' },
        ],
      })
      .expect(201);
    await api().post('/companies', { id: company, name: 'Acme', ownerId: owner }).expect(201);
    await api().post('/companies', { id: quietCompany, name: 'Quiet', ownerId: owner }).expect(201);
    await api()
      .post('/people', { id: person, firstName: 'Ada', lastName: 'Lovelace', ownerId: owner })
      .expect(201);
    await api().post(`/people/${person}/company`, { companyId: company }).expect(200);
    const open = (id: string, extra: object) =>
      api()
        .post('/deals', {
          id,
          title: `Deal ${id.slice(0, 4)}`,
          pipelineId,
          ownerId: owner,
          ...extra,
        })
        .expect(201);
    await open(deal.worked, {
      companyId: company,
      personId: person,
      occurredAt: '2026-01-05T10:00:00Z',
    });
    await open(deal.fresh, {});
    await open(deal.won, { occurredAt: '2026-01-01T10:00:00Z' });
    await api().post(`/deals/${deal.won}/won`, { occurredAt: '2026-01-02T10:00:00Z' }).expect(200);
    await api()
      .post(`/deals/${deal.worked}/stage`, {
        stageId: stage.engaging,
        occurredAt: '2026-01-20T10:00:00Z',
      })
      .expect(200);
    const log = (id: string, kind: string, occurredAt: string, related: object) =>
      api()
        .post('/activities', { id, kind, occurredAt, ...related })
        .expect(201);
    await log(call, 'call', '2026-01-10T10:00:00Z', { personId: person });
    await log(meeting, 'meeting', '2026-01-15T10:00:00Z', { dealId: deal.worked });
    await log(note, 'note', '2026-01-25T10:00:00Z', { personId: person });
    const task = (id: string, dueAt: string) =>
      api()
        .post('/tasks', { id, title: 'Next step', dueAt, personId: person, assigneeId: 'rep-e' })
        .expect(201);
    await task(nextTask, '2026-02-01T09:00:00Z');
    const earlier = randomUUID();
    await task(earlier, '2026-01-28T09:00:00Z');
    const completed = await api().post(`/tasks/${earlier}/complete`, {}).expect(200);
    await api()
      .get(`/tasks/${earlier}?consistency=${completed.body.consistencyToken}`)
      .expect(200, /"status":"done"/);
    // Streams spread over partitions: wait until every read model has seen every write above.
    const total = async (path: string) => {
      const response = await api().get(path);

      return response.status === 200 ? (response.body as Page<unknown>).total : -1;
    };
    await eventually(async () => {
      const seen = [
        (await total('/activities')) === 3,
        (await total(`/people/${person}/timeline`)) === 7,
        // Its 3 own changes, its person's call, note and 2 tasks, its deal's meeting.
        (await total(`/companies/${company}/timeline`)) === 8,
        (await total(`/companies/${quietCompany}/timeline`)) === 1,
        (await total(`/deals/${deal.worked}/timeline`)) === 3,
        (await total(`/deals/${deal.fresh}/timeline`)) === 1,
        (await total(`/deals/${deal.won}/timeline`)) === 2,
      ];

      return seen.every(Boolean) ? true : undefined;
    });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('shows a deal’s changes and activities newest first, with stage names, paged', async () => {
    const path = `/deals/${deal.worked}/timeline`;
    const all = await timeline(path);

    expect(all.items.map(({ at, kind, type, summary }) => ({ at, kind, type, summary }))).toEqual([
      {
        at: '2026-01-20T10:00:00.000Z',
        kind: 'change',
        type: 'DealMovedToStage',
        summary: 'Stage changed from Prospecting to Engaging',
      },
      { at: '2026-01-15T10:00:00.000Z', kind: 'activity', type: 'meeting', summary: 'Meeting' },
      {
        at: '2026-01-05T10:00:00.000Z',
        kind: 'change',
        type: 'DealOpened',
        summary: 'Deal opened in Prospecting',
      },
    ]);
    const second = await timeline(`${path}?limit=2&page=2`);
    expect(second).toMatchObject({ page: 2, limit: 2, total: 3 });
    expect(second.items.map((item) => item.type)).toEqual(['DealOpened']);
    await api().get(`${path}?limit=0`).expect(400);
  });

  it('merges a person’s activities, tasks and changes, and a company’s own changes', async () => {
    const personal = await timeline(`/people/${person}/timeline`);
    const kinds = personal.items.map((item) => `${item.kind}:${item.type}`);
    expect(kinds).toEqual(
      expect.arrayContaining([
        'activity:call',
        'activity:note',
        'task:TaskCreated',
        'task:TaskCompleted',
        'change:PersonRegistered',
        'change:PersonLinkedToCompany',
        'change:DealOpened',
      ]),
    );
    const times = personal.items.map((item) => item.at);
    expect([...times].sort().reverse()).toEqual(times);

    const companyTimeline = await timeline(`/companies/${company}/timeline`);
    expect(companyTimeline.items.map((item) => item.summary)).toEqual(
      expect.arrayContaining([
        'Company registered as Acme',
        'Person linked',
        `Deal opened: Deal ${deal.worked.slice(0, 4)}`,
      ]),
    );
  });

  it('answers when we last contacted a record (notes aside) and its next step', async () => {
    const people = await api().get(`/people/${person}/engagement`).expect(200);
    expect(people.body).toEqual({
      lastContactedAt: '2026-01-10T10:00:00.000Z',
      lastActivityId: call,
      nextStepAt: '2026-02-01T09:00:00.000Z',
      nextTaskId: nextTask,
    });
    // A company's engagement includes its people's and its deals' activities and tasks.
    const companies = await api().get(`/companies/${company}/engagement`).expect(200);
    expect(companies.body).toEqual({
      lastContactedAt: '2026-01-15T10:00:00.000Z',
      lastActivityId: meeting,
      nextStepAt: '2026-02-01T09:00:00.000Z',
      nextTaskId: nextTask,
    });
    const quiet = await api().get(`/companies/${quietCompany}/engagement`).expect(200);
    expect(quiet.body).toEqual({
      lastContactedAt: null,
      lastActivityId: null,
      nextStepAt: null,
      nextTaskId: null,
    });
  });

  it('answers 404 for unknown records and another tenant’s', async () => {
    await api().get(`/people/${randomUUID()}/timeline`).expect(404);
    await stack.as('b').get(`/people/${person}/timeline`).expect(404);
    await stack.as('b').get(`/companies/${company}/engagement`).expect(404);
    await stack.as('b').get(`/deals/${deal.worked}/timeline`).expect(404);
  });

  it('lists the day’s overdue and due tasks in the rep’s zone, and stale records', async () => {
    // India has no daylight saving time: its days start at 18:30 UTC the evening before.
    const timezone = 'Asia/Kolkata';
    const today = new Date(Date.now() + 5.5 * HOUR).toISOString().slice(0, 10);
    const dayStart = Date.parse(`${today}T00:00:00Z`) - 5.5 * HOUR;
    const due = (offset: number) => new Date(dayStart + offset).toISOString();
    const tasks = { overdue: randomUUID(), today: randomUUID(), tomorrow: randomUUID() };
    const done = randomUUID();
    const create = (id: string, dueAt: string) =>
      api().post('/tasks', { id, title: 'Follow up', dueAt, dealId: deal.fresh }).expect(201);
    await create(tasks.overdue, due(-0.5 * HOUR));
    await create(tasks.today, due(0.5 * HOUR));
    await create(tasks.tomorrow, due(24.5 * HOUR));
    await create(done, due(-2 * HOUR));
    const completed = await api().post(`/tasks/${done}/complete`, {}).expect(200);

    // The calling rep by default: tasks created through rep-a's key are assigned to rep-a.
    const day = await eventually(async () => {
      const mine = await api()
        .get(`/follow-ups/today?date=${today}&timezone=${timezone}`)
        .set('x-consistency-token', completed.body.consistencyToken)
        .expect(200);
      const view = mine.body as FollowUpsView;

      return view.overdueTasks.length === 1 && view.dueTodayTasks.length === 1 ? view : undefined;
    });
    expect(day).toMatchObject({ ownerId: 'rep-a', date: today, staleDays: 14 });
    expect(day.dayStart).toBe(new Date(dayStart).toISOString());
    expect(day.overdueTasks.map((task) => task.id)).toEqual([tasks.overdue]);
    expect(day.dueTodayTasks.map((task) => task.id)).toEqual([tasks.today]);

    const staleLists = await api()
      .get(`/follow-ups/today?ownerId=${owner}&date=${today}&timezone=${timezone}&staleDays=1`)
      .expect(200);
    const owners = staleLists.body as FollowUpsView;
    expect(owners.overdueTasks).toEqual([]);
    expect(owners.staleDeals.map(({ id, lastActivityAt }) => ({ id, lastActivityAt }))).toEqual([
      { id: deal.worked, lastActivityAt: '2026-01-15T10:00:00.000Z' },
    ]);
    // Created today and never worked on: not stale yet. A note counts as work here.
    expect(
      owners.staleContacts.map(({ type, id, lastActivityAt }) => [type, id, lastActivityAt]),
    ).toEqual([
      ['company', company, '2026-01-25T10:00:00.000Z'],
      ['person', person, '2026-01-25T10:00:00.000Z'],
    ]);
    expect(owners.staleContacts[1].name).toBe('Ada Lovelace');
  });

  it('refuses bad follow-up queries naming the field', async () => {
    const check = async (query: string, field: string) => {
      const response = await api().get(`/follow-ups/today?${query}`).expect(400);
      expect(response.body.violations.map((v: { field: string }) => v.field)).toContain(field);
    };
    await check('staleDays=0', 'staleDays');
    await check('staleDays=366', 'staleDays');
    await check('timezone=Mars/Olympus', 'timezone');
    await check('date=2026-13-01', 'date');
    await check('ownerId=a%20b', 'ownerId');
  });

  it('shows in a company’s timeline the activities and tasks its engagement counts', async () => {
    // Logged on the company's person and deal, not on the company itself.
    const linkedCall = randomUUID();
    const logged = await api()
      .post('/activities', {
        id: linkedCall,
        kind: 'call',
        occurredAt: '2026-01-27T10:00:00Z',
        personId: person,
        dealId: deal.worked,
      })
      .expect(201);
    const engagement = await api()
      .get(`/companies/${company}/engagement`)
      .set('x-consistency-token', logged.body.consistencyToken)
      .expect(200);
    expect(engagement.body.lastActivityId).toBe(linkedCall);

    const companyTimeline = await timeline(
      `/companies/${company}/timeline?consistency=${logged.body.consistencyToken}`,
    );
    const ids = companyTimeline.items.map((item) => item.id);
    expect(ids).toEqual(
      expect.arrayContaining([linkedCall, call, meeting, note, engagement.body.nextTaskId]),
    );
    expect(companyTimeline.items.find((item) => item.id === linkedCall)).toMatchObject({
      kind: 'activity',
      type: 'call',
      at: '2026-01-27T10:00:00.000Z',
    });
    expect(companyTimeline.total).toBe(9);
  });
});
