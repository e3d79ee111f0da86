import {
  closingInMonth,
  DealFact,
  firstEngagedAt,
  forecast,
  groupDeals,
  leadSources,
  monthBounds,
  percentile,
  revenue,
  salesCycle,
  stageConversion,
  StageFact,
  winRate,
} from './report.calculations';

const stage = (
  stageId: string,
  position: number,
  kind: StageFact['kind'],
  probability = null as number | null,
): StageFact => ({
  pipelineId: 'p1',
  pipeline: 'Sales',
  stageId,
  position,
  name: stageId,
  kind,
  probability,
});

const STAGES = [
  stage('prospecting', 0, 'open'),
  stage('engaging', 1, 'open', 40),
  stage('won', 2, 'won'),
  stage('lost', 3, 'lost'),
];

const at = (day: string) => `${day}T00:00:00.000Z`;

function deal(overrides: Partial<DealFact> = {}): DealFact {
  return {
    dealId: 'd1',
    title: 'A deal',
    pipelineId: 'p1',
    stageId: 'prospecting',
    status: 'open',
    ownerId: 'r1',
    repName: 'Ann',
    manager: 'Mia',
    regionalOffice: 'East',
    productId: 'x1',
    productName: 'GTX',
    sector: 'retail',
    leadSource: null,
    valueCents: 100_00,
    currency: 'USD',
    expectedCloseDate: null,
    openedAt: at('2017-01-01'),
    closedAt: null,
    stageEntries: [{ stageId: 'prospecting', at: at('2017-01-01') }],
    ...overrides,
  };
}

/** A deal opened in prospecting, engaged, then won or lost. */
function closed(
  id: string,
  outcome: 'won' | 'lost',
  engaged: string,
  close: string,
  extra: Partial<DealFact> = {},
) {
  return deal({
    dealId: id,
    status: outcome,
    stageId: outcome,
    openedAt: at(engaged),
    closedAt: at(close),
    stageEntries: [
      { stageId: 'prospecting', at: at(engaged) },
      { stageId: 'engaging', at: at(engaged) },
      { stageId: outcome, at: at(close) },
    ],
    ...extra,
  });
}

describe('report calculations', () => {
  describe('percentile', () => {
    it('interpolates linearly between closest ranks (type 7)', () => {
      const values = [1, 2, 3, 4];

      expect(percentile(values, 0.5)).toBe(2.5);
      expect(percentile(values, 0.75)).toBe(3.25);
      expect(percentile(values, 0.9)).toBeCloseTo(3.7, 10);
      expect(percentile([7], 0.9)).toBe(7);
      expect(percentile([], 0.5)).toBeNull();
    });
  });

  describe('groupDeals', () => {
    it('orders groups by label and puts deals lacking the attribute last', () => {
      const deals = [
        deal({ dealId: 'a', ownerId: null, repName: null }),
        deal({ dealId: 'b', ownerId: 'r2', repName: 'Zoe' }),
        deal({ dealId: 'c', ownerId: 'r1', repName: 'Ann' }),
        deal({ dealId: 'd', ownerId: 'r1', repName: 'Ann' }),
      ];

      const groups = groupDeals(deals, 'rep', () => null);

      expect(groups.map((g) => [g.group.key, g.group.label, g.deals.length])).toEqual([
        ['r1', 'Ann', 2],
        ['r2', 'Zoe', 1],
        [null, '(no owner)', 1],
      ]);
    });

    it('groups by the month of the day the report filters on', () => {
      const deals = [deal({ dealId: 'a' }), deal({ dealId: 'b' })];
      const days: Record<string, string> = { a: '2017-02-28', b: '2017-03-01' };

      const groups = groupDeals(deals, 'month', (d) => days[d.dealId]);

      expect(groups.map((g) => g.group.key)).toEqual(['2017-02', '2017-03']);
    });
  });

  it('computes the win rate of the deals closed in the range, by close date', () => {
    const deals = [
      closed('a', 'won', '2016-12-01', '2017-01-10'),
      closed('b', 'lost', '2016-12-01', '2017-01-31'),
      closed('c', 'won', '2016-12-01', '2017-01-31'),
      closed('d', 'won', '2016-12-01', '2017-02-01'),
      deal({ dealId: 'e' }),
    ];

    const rows = winRate(deals, { from: '2017-01-01', to: '2017-01-31' });

    expect(rows).toEqual([
      { groupKey: 'all', group: 'All deals', won: 2, lost: 1, closed: 3, winRate: 0.6667 },
    ]);
  });

  it('counts, per stage, the deals that entered it and went on to a later non-lost stage', () => {
    const deals = [
      closed('a', 'won', '2017-01-02', '2017-02-01'),
      closed('b', 'lost', '2017-01-03', '2017-02-01'),
      deal({ dealId: 'c', openedAt: at('2017-01-04') }),
      deal({
        dealId: 'd',
        openedAt: at('2017-01-05'),
        status: 'lost',
        stageId: 'lost',
        stageEntries: [
          { stageId: 'prospecting', at: at('2017-01-05') },
          { stageId: 'lost', at: at('2017-01-06') },
        ],
      }),
      closed('old', 'won', '2016-01-01', '2016-02-01'),
    ];

    const rows = stageConversion(deals, STAGES, { from: '2017-01-01' });

    expect(rows.map((r) => [r.stage, r.entered, r.advanced, r.conversionRate])).toEqual([
      ['prospecting', 4, 2, 0.5],
      ['engaging', 2, 1, 0.5],
      ['won', 1, null, null],
      ['lost', 2, null, null],
    ]);
  });

  it('measures the cycle from the first move out of the first stage to the close', () => {
    const index = new Map(STAGES.map((s) => [`p1\u0000${s.stageId}`, s]));
    const openedFurther = deal({
      openedAt: at('2017-01-09'),
      stageEntries: [{ stageId: 'engaging', at: at('2017-01-09') }],
    });
    expect(firstEngagedAt(openedFurther, index)).toBe(at('2017-01-09'));
    expect(firstEngagedAt(deal(), index)).toBeNull();

    const deals = [
      closed('a', 'won', '2017-01-01', '2017-01-11'),
      closed('b', 'won', '2017-01-01', '2017-01-21'),
      closed('c', 'won', '2017-01-01', '2017-01-31'),
      closed('d', 'won', '2017-01-01', '2017-02-10'),
      closed('e', 'lost', '2017-01-01', '2017-01-02'),
    ];

    expect(salesCycle(deals, STAGES, {}, 'won')).toEqual([
      {
        groupKey: 'all',
        group: 'All deals',
        deals: 4,
        meanDays: 25,
        medianDays: 25,
        p75Days: 32.5,
        p90Days: 37,
      },
    ]);
    expect(salesCycle(deals, STAGES, {}, 'lost')[0]).toMatchObject({ deals: 1, medianDays: 1 });
  });

  it('adds revenue in cents, one currency at a time, and ranks lead sources by it', () => {
    const deals = [
      closed('a', 'won', '2017-01-01', '2017-01-11', { valueCents: 10_01, leadSource: 'web' }),
      closed('b', 'won', '2017-01-01', '2017-01-11', { valueCents: 20_02, leadSource: 'web' }),
      closed('c', 'won', '2017-01-01', '2017-01-11', { valueCents: 50_00, leadSource: 'event' }),
      closed('d', 'won', '2017-01-01', '2017-01-11', { valueCents: 99_00, currency: 'EUR' }),
      closed('e', 'lost', '2017-01-01', '2017-01-11', { valueCents: 99_00 }),
    ];

    expect(revenue(deals, {}, 'USD')).toEqual([
      { groupKey: 'all', group: 'All deals', wonDeals: 3, revenue: 80.03, averageDealSize: 26.68 },
    ]);
    expect(revenue(deals, {}, 'EUR')[0]).toMatchObject({ wonDeals: 1, revenue: 99 });
    expect(leadSources(deals, {}, 'USD').map((r) => [r.rank, r.group, r.revenue])).toEqual([
      [1, 'event', 50],
      [2, 'web', 30.03],
    ]);
  });

  it('weights open deals by stage probability and counts the others apart', () => {
    const deals = [
      deal({
        dealId: 'a',
        stageId: 'engaging',
        valueCents: 1000_00,
        expectedCloseDate: '2017-03-05',
      }),
      deal({ dealId: 'b', valueCents: 500_00, expectedCloseDate: '2017-03-20' }),
      deal({ dealId: 'c', valueCents: 700_00, expectedCloseDate: '2017-04-01' }),
      deal({ dealId: 'd', valueCents: 1_00, expectedCloseDate: null }),
      closed('e', 'won', '2017-01-01', '2017-01-11', { expectedCloseDate: '2017-03-01' }),
    ];

    const all = forecast(deals, STAGES, {}, 'USD');
    const march = forecast(deals, STAGES, { from: '2017-03-01', to: '2017-03-31' }, 'USD');

    expect(all.map((r) => [r.expectedCloseMonth, r.openDeals])).toEqual([
      ['2017-03', 2],
      ['2017-04', 1],
      [null, 1],
    ]);
    expect(march).toEqual([
      {
        groupKey: 'all',
        group: 'All deals',
        expectedCloseMonth: '2017-03',
        openDeals: 2,
        openValue: 1500,
        weightedValue: 400,
        unweightedDeals: 1,
        unweightedValue: 500,
      },
    ]);
  });

  it('lists the open deals expected to close in a month', () => {
    const deals = [
      deal({ dealId: 'b', stageId: 'engaging', expectedCloseDate: '2017-03-20' }),
      deal({ dealId: 'a', expectedCloseDate: '2017-03-05', valueCents: null }),
      deal({ dealId: 'c', expectedCloseDate: '2017-04-01' }),
    ];

    const rows = closingInMonth(deals, STAGES, '2017-03', undefined, 'USD');

    expect(rows.map((r) => [r.dealId, r.probability, r.value, r.weightedValue])).toEqual([
      ['a', null, null, null],
      ['b', 40, 100, 40],
    ]);
    expect(monthBounds('2016-02')).toEqual({ from: '2016-02-01', to: '2016-02-29' });
  });
});
