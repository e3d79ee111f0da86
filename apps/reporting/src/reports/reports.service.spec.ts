import { ReportFactsRepository } from './report-facts.repository';
import { DealFact } from './report.calculations';
import { parseReportQuery } from './report-query';
import { ReportsService } from './reports.service';

const deal = (dealId: string, currency: string, expectedCloseDate: string): DealFact => ({
  dealId,
  title: dealId,
  pipelineId: 'p1',
  stageId: 's1',
  status: 'open',
  ownerId: null,
  repName: null,
  manager: null,
  regionalOffice: null,
  productId: null,
  productName: null,
  sector: null,
  leadSource: null,
  valueCents: 100,
  currency,
  expectedCloseDate,
  openedAt: '2017-01-01T00:00:00.000Z',
  closedAt: null,
  stageEntries: [],
});

function facts(deals: DealFact[], mostUsed: string | undefined): ReportFactsRepository {
  // A strict stand-in: only the three reads the service makes.
  return {
    deals: async () => deals,
    stages: async () => [],
    mostUsedCurrency: async () => mostUsed,
  } as unknown as ReportFactsRepository;
}

describe(ReportsService.name, () => {
  const today = new Date('2026-12-04T23:59:59Z');

  it('lists the deals closing in the current UTC month when no month is given', async () => {
    const sut = new ReportsService(
      facts([deal('a', 'USD', '2026-12-31'), deal('b', 'USD', '2027-01-01')], 'USD'),
    );

    const report = await sut.build('closing-this-month', 't1', {}, today);

    expect(report).toMatchObject({ month: '2026-12', from: '2026-12-01', to: '2026-12-31' });
    expect(report.rows).toEqual([expect.objectContaining({ dealId: 'a' })]);
  });

  it("reports money in the tenant's most used currency, USD when it has no deal", async () => {
    const eur = new ReportsService(facts([deal('a', 'EUR', '2026-12-31')], 'EUR'));
    const none = new ReportsService(facts([], undefined));

    expect((await eur.build('forecast', 't1', {}, today)).currency).toBe('EUR');
    expect((await none.build('revenue', 't1', {}, today)).currency).toBe('USD');
    expect((await none.build('win-rate', 't1', {}, today)).currency).toBeNull();
  });

  it('reads only the deal facts each report counts', async () => {
    const asked: unknown[] = [];
    const repository = {
      deals: async (_tenant: string, _pipeline: string | undefined, filter: unknown) => {
        asked.push(filter);

        return [];
      },
      stages: async () => [],
      mostUsedCurrency: async () => 'USD',
    } as unknown as ReportFactsRepository;
    const sut = new ReportsService(repository);
    const year = { from: '2017-01-01', to: '2017-12-31' };
    const today = new Date('2026-12-04T12:00:00Z');

    await sut.build('win-rate', 't1', year, today);
    await sut.build('sales-cycle', 't1', { outcome: 'lost' }, today);
    await sut.build('revenue', 't1', year, today);
    await sut.build('stage-conversion', 't1', year, today);
    await sut.build('forecast', 't1', {}, today);

    expect(asked).toEqual([
      { statuses: ['won', 'lost'], closed: year },
      { statuses: ['lost'], closed: {} },
      { statuses: ['won'], closed: year },
      { opened: year },
      { statuses: ['open'] },
    ]);
  });
});

describe(parseReportQuery.name, () => {
  const fieldsOf = (name: Parameters<typeof parseReportQuery>[0], raw: Record<string, unknown>) => {
    try {
      parseReportQuery(name, raw);

      return [];
    } catch (error) {
      return (error as { violations: Array<{ field: string }> }).violations.map((v) => v.field);
    }
  };

  it('names each invalid parameter', () => {
    expect(fieldsOf('revenue', { from: '2017-02-01', to: '2017-01-31' })).toEqual(['from']);
    expect(fieldsOf('revenue', { from: '2017-02-29' })).toEqual(['from']);
    expect(fieldsOf('revenue', { groupBy: 'team', x: '1' })).toEqual(['x', 'groupBy']);
    expect(fieldsOf('revenue', { month: '2017-01' })).toEqual(['month']);
    expect(fieldsOf('closing-this-month', { month: '2017-1' })).toEqual(['month']);
    expect(fieldsOf('sales-cycle', { outcome: 'open' })).toEqual(['outcome']);
    expect(fieldsOf('revenue', { from: ['2017-01-01', '2017-01-02'] })).toEqual(['from']);
  });

  it('accepts a valid query as given', () => {
    const query = { from: '2017-01-01', to: '2017-01-01', groupBy: 'month', outcome: 'lost' };

    expect(parseReportQuery('sales-cycle', query)).toMatchObject(query);
  });
});
