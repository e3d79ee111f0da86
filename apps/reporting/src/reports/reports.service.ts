import { Report, ReportName, ReportQuery } from '@relate/contracts';

import { DealFactFilter, ReportFactsRepository } from './report-facts.repository';
import {
  closingInMonth,
  forecast,
  leadSources,
  monthBounds,
  revenue,
  salesCycle,
  stageConversion,
  winRate,
} from './report.calculations';

/** The currency of money reports when the tenant has no deal at all. */
export const FALLBACK_CURRENCY = 'USD';

const GROUP = ['groupKey', 'group'];

/** The CSV header of each report: the row fields in order. */
export const REPORT_COLUMNS: Record<ReportName, string[]> = {
  'win-rate': [...GROUP, 'won', 'lost', 'closed', 'winRate'],
  'stage-conversion': [
    ...GROUP,
    'pipelineId',
    'pipeline',
    'stageId',
    'stage',
    'position',
    'kind',
    'entered',
    'advanced',
    'conversionRate',
  ],
  'sales-cycle': [...GROUP, 'deals', 'meanDays', 'medianDays', 'p75Days', 'p90Days'],
  revenue: [...GROUP, 'wonDeals', 'revenue', 'averageDealSize'],
  forecast: [
    ...GROUP,
    'expectedCloseMonth',
    'openDeals',
    'openValue',
    'weightedValue',
    'unweightedDeals',
    'unweightedValue',
  ],
  'closing-this-month': [
    ...GROUP,
    'dealId',
    'title',
    'expectedCloseDate',
    'stage',
    'probability',
    'ownerId',
    'owner',
    'value',
    'weightedValue',
  ],
  'lead-sources': ['rank', ...GROUP, 'wonDeals', 'revenue', 'averageDealSize'],
};

const MONEY_REPORTS: ReadonlySet<ReportName> = new Set([
  'revenue',
  'forecast',
  'closing-this-month',
  'lead-sources',
]);

/** Builds a report from the tenant's facts; `today` is only read by closing-this-month. */
export class ReportsService {
  constructor(private readonly facts: ReportFactsRepository) {}

  async build(name: ReportName, tenantId: string, query: ReportQuery, today: Date) {
    const [allDeals, stages] = await Promise.all([
      this.facts.deals(tenantId, query.pipelineId, factsFilter(name, query)),
      this.facts.stages(tenantId, query.pipelineId),
    ]);
    const currency = MONEY_REPORTS.has(name)
      ? (query.currency ?? (await this.facts.mostUsedCurrency(tenantId)) ?? FALLBACK_CURRENCY)
      : (query.currency ?? null);
    // Count reports cover every currency unless one is asked for.
    const deals =
      currency === null || MONEY_REPORTS.has(name)
        ? allDeals
        : allDeals.filter((deal) => deal.currency === currency);
    const range = { from: query.from, to: query.to, groupBy: query.groupBy };
    const base = {
      report: name,
      from: query.from ?? null,
      to: query.to ?? null,
      groupBy: query.groupBy ?? null,
      currency,
      columns: REPORT_COLUMNS[name],
    };
    const report = (rows: object[], extra: Partial<Report> = {}): Report<object> => ({
      ...base,
      ...extra,
      rows,
    });
    switch (name) {
      case 'win-rate':
        return report(winRate(deals, range));
      case 'stage-conversion':
        return report(stageConversion(deals, stages, range));
      case 'sales-cycle': {
        const outcome = query.outcome ?? 'won';

        return report(salesCycle(deals, stages, range, outcome), { outcome });
      }
      case 'revenue':
        return report(revenue(deals, range, currency!));
      case 'forecast':
        return report(forecast(deals, stages, range, currency!));
      case 'closing-this-month': {
        // The only report that reads the clock, and only when no month is given.
        const month = query.month ?? today.toISOString().slice(0, 7);
        const rows = closingInMonth(deals, stages, month, query.groupBy, currency!);

        return report(rows, { ...monthBounds(month), month });
      }
      case 'lead-sources':
        return report(leadSources(deals, range, currency!), { groupBy: 'source' });
    }
  }
}

/**
 * The deal facts a report counts, so that the database leaves the others out: the same filters
 * as the calculations (close day for closed deals, opening day for stage conversion, open deals
 * for forecasts), which still apply theirs to what is read.
 */
export function factsFilter(name: ReportName, query: ReportQuery): DealFactFilter {
  const range = { from: query.from, to: query.to };
  switch (name) {
    case 'win-rate':
      return { statuses: ['won', 'lost'], closed: range };
    case 'sales-cycle':
      return { statuses: [query.outcome ?? 'won'], closed: range };
    case 'revenue':
    case 'lead-sources':
      return { statuses: ['won'], closed: range };
    case 'stage-conversion':
      return { opened: range };
    case 'forecast':
    case 'closing-this-month':
      return { statuses: ['open'] };
  }
}
