import { randomUUID } from 'node:crypto';

import { DealView, EventEnvelope, PipelineSummaryView } from '@relate/contracts';

import { E2eStack, eventually, startE2eStack } from '../testing/e2e-stack';

describe('deals through the gateway', () => {
  let stack: E2eStack;
  const api = () => stack.as('a');
  const pipelineId = randomUUID();
  const stage = { prospecting: randomUUID(), engaging: randomUUID(), won: randomUUID() };
  const lostStage = randomUUID();
  const companyId = randomUUID();
  const ownerId = randomUUID();
  const deal = { won: randomUUID(), lost: randomUUID(), open: randomUUID() };

  beforeAll(async () => {
    stack = await startE2eStack('deals');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  async function summary(): Promise<PipelineSummaryView> {
    const response = await api().get(`/pipelines/${pipelineId}/summary`).expect(200);

    return response.body as PipelineSummaryView;
  }

  it('defines a pipeline, answering its version, a consistency token and an ETag', async () => {
    const response = await api()
      .post('/pipelines', {
        id: pipelineId,
        name: 'Maven sales',
        stages: [
          { id: stage.prospecting, name: 'Prospecting', kind: 'open' },
          { id: stage.engaging, name: 'Engaging', kind: 'open', probability: 40 },
          { id: stage.won, name: 'Won', kind: 'won' },
          { id: lostStage, name: 'Lost', kind: 'lost' },
        ],
      })
      .expect(201);

    expect(response.body).toEqual({
      id: pipelineId,
      version: 1,
      consistencyToken: expect.any(String),
    });
    expect(response.headers.etag).toBe('"1"');
    const read = await api()
      .get(`/pipelines/${pipelineId}?consistency=${response.body.consistencyToken}`)
      .expect(200);
    expect(read.body.stages.map((s: { name: string }) => s.name)).toEqual([
      'Prospecting',
      'Engaging',
      'Won',
      'Lost',
    ]);
  });

  it('opens deals and moves them through stages to won and lost', async () => {
    await api().post('/companies', { id: companyId, name: 'Acme' }).expect(201);
    const open = (id: string, value: number, extra: object = {}) =>
      api()
        .post('/deals', {
          id,
          title: `Deal ${value}`,
          pipelineId,
          value,
          expectedCloseDate: '2026-06-30',
          occurredAt: '2025-01-10T09:00:00Z',
          ...extra,
        })
        .expect(201);
    await open(deal.won, 1000, { companyId });
    await open(deal.lost, 2500, { companyId });
    await open(deal.open, 400, { ownerId, expectedCloseDate: '2026-09-15' });

    const moved = await api()
      .post(`/deals/${deal.won}/stage`, {
        stageId: stage.engaging,
        occurredAt: '2025-02-01T00:00:00Z',
      })
      .expect(200);
    expect(moved.body.version).toBe(2);
    await api()
      .post(`/deals/${deal.won}/won`, { value: 1200, occurredAt: '2025-03-05T12:00:00Z' })
      .expect(200);
    await api()
      .post(`/deals/${deal.lost}/lost`, { reason: 'Price', occurredAt: '2025-03-06T00:00:00Z' })
      .expect(200);

    const counted = await eventually(async () => {
      const current = await summary();

      // Deals are keyed by their own stream, so they may arrive from different partitions.
      const [prospecting, , won, lost] = current.stages.map((s) => s.dealCount);

      return prospecting === 1 && won === 1 && lost === 1 ? current : undefined;
    });
    const usd = (total: number) => [{ currency: 'USD', total }];
    expect(counted.stages).toEqual([
      {
        stageId: stage.prospecting,
        name: 'Prospecting',
        kind: 'open',
        dealCount: 1,
        totalValue: 400,
        values: usd(400),
      },
      {
        stageId: stage.engaging,
        name: 'Engaging',
        kind: 'open',
        dealCount: 0,
        totalValue: 0,
        values: [],
      },
      {
        stageId: stage.won,
        name: 'Won',
        kind: 'won',
        dealCount: 1,
        totalValue: 1200,
        values: usd(1200),
      },
      {
        stageId: lostStage,
        name: 'Lost',
        kind: 'lost',
        dealCount: 1,
        totalValue: 2500,
        values: usd(2500),
      },
    ]);
    expect(counted.totals).toEqual({ dealCount: 3, totalValue: 4100, values: usd(4100) });
  });

  it('refuses moving a closed deal, a foreign stage, and a loss without reason', async () => {
    const closed = await api()
      .post(`/deals/${deal.won}/stage`, { stageId: stage.prospecting })
      .expect(409);
    expect(closed.body).toMatchObject({ error: 'DEAL_CLOSED', code: 'PIPELINE.DEAL_CLOSED' });

    const foreign = await api()
      .post(`/deals/${deal.open}/stage`, { stageId: randomUUID() })
      .expect(400);
    expect(foreign.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      violations: [{ field: 'stageId', reason: expect.stringContaining('not a stage') }],
    });

    const noReason = await api().post(`/deals/${deal.open}/lost`, {}).expect(400);
    expect(noReason.body.violations.map((v: { field: string }) => v.field)).toContain('reason');
  });

  it('answers 409 to a stale If-Match and accepts the current version', async () => {
    const renamed = await api()
      .patch(`/deals/${deal.open}`, { title: 'Renamed deal' })
      .set('If-Match', '"1"')
      .expect(200);
    expect(renamed.headers.etag).toBe('"2"');

    const stale = await api()
      .patch(`/deals/${deal.open}`, { value: 500 })
      .set('If-Match', '"1"')
      .expect(409);
    expect(stale.body.error).toBe('WRONG_EXPECTED_VERSION');
  });

  it('filters deals by stage, owner, company, status and close date, and pages', async () => {
    const ids = async (query: string) => {
      const response = await api().get(`/deals?pipelineId=${pipelineId}&${query}`).expect(200);

      return (response.body.items as DealView[]).map((item) => item.id).sort();
    };
    await eventually(async () => ((await ids('status=open'))[0] === deal.open ? true : undefined));

    expect(await ids(`stageId=${stage.won}`)).toEqual([deal.won]);
    expect(await ids(`ownerId=${ownerId}`)).toEqual([deal.open]);
    expect(await ids(`companyId=${companyId}`)).toEqual([deal.won, deal.lost].sort());
    expect(await ids('status=lost')).toEqual([deal.lost]);
    expect(await ids('closeFrom=2025-03-01&closeTo=2025-03-31')).toEqual(
      [deal.won, deal.lost].sort(),
    );
    expect(await ids('closeFrom=2026-07-01')).toEqual([deal.open]);

    const page = await api().get(`/deals?pipelineId=${pipelineId}&limit=2&page=2`).expect(200);
    expect(page.body).toMatchObject({ page: 2, limit: 2, total: 3 });
    expect(page.body.items).toHaveLength(1);
    await api().get('/deals?limit=501').expect(400);
  });

  it('returns the history of a deal from the event store', async () => {
    const response = await api().get(`/deals/${deal.won}/history`).expect(200);
    const events = response.body as EventEnvelope[];

    expect(events.map((e) => [e.type, e.streamVersion, e.occurredAt])).toEqual([
      ['DealOpened', 1, '2025-01-10T09:00:00.000Z'],
      ['DealMovedToStage', 2, '2025-02-01T00:00:00.000Z'],
      ['DealWon', 3, '2025-03-05T12:00:00.000Z'],
    ]);
    expect(events[2]).toMatchObject({
      tenantId: stack.tenants.a,
      actor: { type: 'user', id: 'rep-a' },
      data: { dealId: deal.won, value: 1200, stageId: stage.won },
    });
    expect(new Set(events.map((e) => e.correlationId)).size).toBe(3);
  });

  it('records the caller’s correlation id and continues the caller’s trace', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await api()
      .post(`/deals/${deal.open}/owner`, { ownerId: randomUUID() })
      .set('x-correlation-id', 'corr-e2e-1')
      .set('traceparent', `00-${traceId}-00f067aa0ba902b7-01`)
      .expect(200)
      .expect('x-correlation-id', 'corr-e2e-1');

    const history = await api().get(`/deals/${deal.open}/history`).expect(200);
    const assigned = (history.body as EventEnvelope[]).at(-1)!;
    expect(assigned).toMatchObject({ type: 'DealOwnerAssigned', correlationId: 'corr-e2e-1' });
    expect(assigned.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(assigned.traceparent).not.toContain('00f067aa0ba902b7');
  });

  it('shows the current company name on a deal after the company is renamed', async () => {
    const before = await eventually(async () => {
      const response = await api().get(`/deals/${deal.won}`).expect(200);

      return response.body.companyName === 'Acme' ? (response.body as DealView) : undefined;
    });
    expect(before).toMatchObject({ status: 'won', stageName: 'Won', value: 1200 });

    const renamed = await api().patch(`/companies/${companyId}`, { name: 'Acme Corp' }).expect(200);
    const after = await api()
      .get(`/deals/${deal.won}`)
      .set('x-consistency-token', renamed.body.consistencyToken)
      .expect(200);
    expect(after.body.companyName).toBe('Acme Corp');
  });

  it('answers 404 for an unknown deal', async () => {
    const response = await api().get(`/deals/${randomUUID()}`).expect(404);

    expect(response.body).toMatchObject({ error: 'DEAL_NOT_FOUND', category: 'not_found' });
    await api().get(`/deals/${randomUUID()}/history`).expect(404);
    await api().post(`/deals/${randomUUID()}/won`, {}).expect(404);
  });

  it('opens a deal in the default pipeline when none is named', async () => {
    const opened = await api().post('/deals', { title: 'Walk-in' }).expect(201);
    const pipelines = await api().get('/pipelines').expect(200);
    const fallback = pipelines.body.items.find((p: { isDefault: boolean }) => p.isDefault);
    // The deal and its pipeline's stages are on different streams: poll until both are seen.
    const read = await eventually(async () => {
      const response = await api()
        .get(`/deals/${opened.body.id}?consistency=${opened.body.consistencyToken}`)
        .expect(200);

      return response.body.stageName ? (response.body as DealView) : undefined;
    });

    expect(read).toMatchObject({ pipelineId: fallback.id, stageName: 'Lead', status: 'open' });
  });

  it('totals deals in different currencies apart, never as one number', async () => {
    const euroDeal = randomUUID();
    await api()
      .post('/deals', { id: euroDeal, title: 'Euro deal', pipelineId, value: 300, currency: 'EUR' })
      .expect(201);

    const mixed = await eventually(async () => {
      const current = await summary();

      return current.stages[0].dealCount === 2 ? current : undefined;
    });
    expect(mixed.stages[0]).toMatchObject({
      dealCount: 2,
      totalValue: null,
      values: [
        { currency: 'EUR', total: 300 },
        { currency: 'USD', total: 400 },
      ],
    });
    expect(mixed.totals).toEqual({
      dealCount: 4,
      totalValue: null,
      values: [
        { currency: 'EUR', total: 300 },
        { currency: 'USD', total: 4100 },
      ],
    });
  });
});
