import { randomUUID } from 'node:crypto';

import { Report } from '@relate/contracts';

import { E2eStack, eventually, startE2eStack } from '../testing/e2e-stack';

describe('reports through the gateway', () => {
  let stack: E2eStack;
  const api = () => stack.as('a');
  const pipelineId = randomUUID();
  const stage = { prospecting: randomUUID(), negotiation: randomUUID(), won: randomUUID() };
  const lost = randomUUID();
  const repId = randomUUID();
  const companyId = randomUUID();
  const deal = { won: randomUUID(), lost: randomUUID(), open: randomUUID(), euro: randomUUID() };
  const REP_NAME = 'Smith, Ann "Closer"';

  async function report(path: string): Promise<Report<Record<string, unknown>>> {
    const response = await api().get(path).expect(200);

    return response.body as Report<Record<string, unknown>>;
  }

  beforeAll(async () => {
    stack = await startE2eStack('reports');
    await api()
      .post('/reps', { id: repId, name: REP_NAME, manager: 'Mia Lee', regionalOffice: 'East' })
      .expect(201);
    await api()
      .post('/companies', { id: companyId, name: 'Acme', sector: 'retail', leadSource: 'web' })
      .expect(201);
    await api()
      .post('/pipelines', {
        id: pipelineId,
        name: 'Reports',
        stages: [
          { id: stage.prospecting, name: 'Prospecting', kind: 'open' },
          { id: stage.negotiation, name: 'Negotiation', kind: 'open', probability: 50 },
          { id: stage.won, name: 'Won', kind: 'won' },
          { id: lost, name: 'Lost', kind: 'lost' },
        ],
      })
      .expect(201);
    const open = (id: string, body: object) =>
      api()
        .post('/deals', {
          id,
          title: `Deal ${id.slice(0, 4)}`,
          pipelineId,
          stageId: stage.prospecting,
          ownerId: repId,
          companyId,
          value: 1000,
          ...body,
        })
        .expect(201);
    const move = (id: string, occurredAt: string) =>
      api().post(`/deals/${id}/stage`, { stageId: stage.negotiation, occurredAt }).expect(200);
    await open(deal.won, { occurredAt: '2017-01-02T00:00:00Z' });
    await move(deal.won, '2017-01-12T00:00:00Z');
    await api()
      .post(`/deals/${deal.won}/won`, { value: 1200.5, occurredAt: '2017-02-11T00:00:00Z' })
      .expect(200);
    await open(deal.lost, { occurredAt: '2017-01-05T00:00:00Z' });
    await move(deal.lost, '2017-01-15T00:00:00Z');
    await api()
      .post(`/deals/${deal.lost}/lost`, { reason: 'price', occurredAt: '2017-02-04T00:00:00Z' })
      .expect(200);
    await open(deal.open, { occurredAt: '2017-01-20T00:00:00Z', expectedCloseDate: '2017-03-15' });
    await move(deal.open, '2017-01-25T00:00:00Z');
    await open(deal.euro, {
      occurredAt: '2017-01-21T00:00:00Z',
      currency: 'EUR',
      value: 300,
      expectedCloseDate: '2017-03-20',
    });
    // Every fact has reached the read models once the last deal, the rep and the company show.
    await eventually(async () => {
      const closing = await report('/reports/closing-this-month?month=2017-03&currency=EUR');
      const rates = await report('/reports/win-rate?groupBy=rep');
      const sectors = await report('/reports/win-rate?groupBy=sector');
      const joined = rates.rows[0]?.group === REP_NAME && sectors.rows[0]?.group === 'retail';

      return closing.rows.length === 1 && joined ? true : undefined;
    }, 20_000);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers the win rate of the deals closed in the range, by rep', async () => {
    const body = await report(`/reports/win-rate?from=2017-02-01&to=2017-02-28&groupBy=rep`);

    expect(body).toMatchObject({ report: 'win-rate', from: '2017-02-01', groupBy: 'rep' });
    expect(body.rows).toEqual([
      { groupKey: repId, group: REP_NAME, won: 1, lost: 1, closed: 2, winRate: 0.5 },
    ]);
    expect((await report('/reports/win-rate?to=2017-02-10')).rows[0]).toMatchObject({
      won: 0,
      lost: 1,
    });
  });

  it('answers revenue in the most used currency by default, another one on request', async () => {
    const usd = await report('/reports/revenue?groupBy=sector');
    const eur = await report('/reports/revenue?currency=EUR');

    expect(usd.currency).toBe('USD');
    expect(usd.rows).toEqual([
      {
        groupKey: 'retail',
        group: 'retail',
        wonDeals: 1,
        revenue: 1200.5,
        averageDealSize: 1200.5,
      },
    ]);
    expect(eur.rows).toEqual([]);
    expect((await report('/reports/lead-sources')).rows).toEqual([
      {
        rank: 1,
        groupKey: 'web',
        group: 'web',
        wonDeals: 1,
        revenue: 1200.5,
        averageDealSize: 1200.5,
      },
    ]);
  });

  it('measures the sales cycle from first engagement to close, won or lost', async () => {
    const won = await report('/reports/sales-cycle?groupBy=manager');
    const lostCycle = await report('/reports/sales-cycle?outcome=lost');

    expect(won.rows).toEqual([
      {
        groupKey: 'Mia Lee',
        group: 'Mia Lee',
        deals: 1,
        meanDays: 30,
        medianDays: 30,
        p75Days: 30,
        p90Days: 30,
      },
    ]);
    expect(lostCycle).toMatchObject({ outcome: 'lost', rows: [{ deals: 1, medianDays: 20 }] });
  });

  it('converts stage by stage the deals opened in the range', async () => {
    const body = await report(`/reports/stage-conversion?pipelineId=${pipelineId}&from=2017-01-01`);

    expect(body.rows.map((r) => [r.stage, r.entered, r.advanced, r.conversionRate])).toEqual([
      ['Prospecting', 4, 3, 0.75],
      ['Negotiation', 3, 1, 0.3333],
      ['Won', 1, null, null],
      ['Lost', 1, null, null],
    ]);
  });

  it('forecasts open deals by expected close month, weighted by stage probability', async () => {
    const usd = await report('/reports/forecast?from=2017-03-01&to=2017-03-31');
    const eur = await report('/reports/forecast?currency=EUR');

    expect(usd.rows).toEqual([
      {
        groupKey: 'all',
        group: 'All deals',
        expectedCloseMonth: '2017-03',
        openDeals: 1,
        openValue: 1000,
        weightedValue: 500,
        unweightedDeals: 0,
        unweightedValue: 0,
      },
    ]);
    expect(eur.rows[0]).toMatchObject({ openValue: 300, weightedValue: 0, unweightedValue: 300 });
  });

  it('lists the deals expected to close in a month', async () => {
    const body = await report('/reports/closing-this-month?month=2017-03');

    expect(body).toMatchObject({ month: '2017-03', from: '2017-03-01', to: '2017-03-31' });
    expect(body.rows).toEqual([
      expect.objectContaining({
        dealId: deal.open,
        owner: REP_NAME,
        value: 1000,
        weightedValue: 500,
      }),
    ]);
  });

  it('exports CSV with ?format=csv or Accept: text/csv, with a filename', async () => {
    const byQuery = await api().get('/reports/win-rate?groupBy=rep&format=csv').expect(200);
    const byAccept = await api()
      .get('/reports/win-rate?groupBy=rep')
      .set('accept', 'text/csv')
      .expect(200);

    expect(byQuery.headers['content-type']).toMatch(/^text\/csv/);
    expect(byQuery.headers['content-disposition']).toBe('attachment; filename="win-rate.csv"');
    expect(byQuery.text).toBe(
      'groupKey,group,won,lost,closed,winRate\r\n' +
        `${repId},"Smith, Ann ""Closer""",1,1,2,0.5\r\n`,
    );
    expect(byAccept.text).toBe(byQuery.text);
  });

  it('refuses invalid parameters with 400 naming the parameter', async () => {
    const fields = async (path: string) => {
      const response = await api().get(path).expect(400);

      return (response.body.violations as Array<{ field: string }>).map((v) => v.field);
    };

    expect(await fields('/reports/revenue?from=2017-03-01&to=2017-02-01')).toEqual(['from']);
    expect(await fields('/reports/revenue?groupBy=team')).toEqual(['groupBy']);
    expect(await fields('/reports/closing-this-month?month=2017-13')).toEqual(['month']);
    expect(await fields('/reports/revenue?from=2017-02-30')).toEqual(['from']);
    expect(await fields('/reports/revenue?colour=red')).toEqual(['colour']);
    expect(await fields('/reports/lead-sources?groupBy=rep')).toEqual(['groupBy']);
    await api().get('/reports/nonsense').expect(404);
  });

  it("shows another tenant nothing of tenant A's deals", async () => {
    const other = await stack.as('b').get(`/reports/win-rate?pipelineId=${pipelineId}`).expect(200);
    await stack.as('anonymous').get('/reports/win-rate').expect(401);

    expect((other.body as Report).rows).toEqual([]);
    expect(((await stack.as('b').get('/reports/revenue')).body as Report).rows).toEqual([]);
  });
});
