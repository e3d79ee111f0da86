/**
 * The reports as pure functions of the deal facts: every definition (which date a report
 * filters on, what a group is, how a percentile is taken) lives here, once.
 */
import {
  ClosingDealRow,
  ForecastRow,
  LeadSourceRow,
  ReportGroup,
  ReportGrouping,
  RevenueRow,
  SalesCycleOutcome,
  SalesCycleRow,
  StageConversionRow,
  WinRateRow,
} from '@relate/contracts';

export interface DealFact {
  dealId: string;
  title: string;
  pipelineId: string;
  stageId: string;
  status: 'open' | 'won' | 'lost';
  ownerId: string | null;
  repName: string | null;
  manager: string | null;
  regionalOffice: string | null;
  productId: string | null;
  productName: string | null;
  sector: string | null;
  leadSource: string | null;
  /** The value in cents, so that sums are exact. */
  valueCents: number | null;
  currency: string;
  expectedCloseDate: string | null;
  /** ISO 8601 UTC. */
  openedAt: string;
  closedAt: string | null;
  /** Each stage the deal entered (opening included), in stream order, at business time. */
  stageEntries: Array<{ stageId: string; at: string }>;
}

export interface StageFact {
  pipelineId: string;
  pipeline: string;
  stageId: string;
  position: number;
  name: string;
  kind: 'open' | 'won' | 'lost';
  probability: number | null;
}

/** A validated request: dates `YYYY-MM-DD`, bounds included. */
export interface ReportRange {
  from?: string;
  to?: string;
  groupBy?: ReportGrouping;
}

const DAY_MS = 86_400_000;

export const round2 = (value: number): number => Math.round(value * 100) / 100;
export const round4 = (value: number): number => Math.round(value * 10_000) / 10_000;
const money = (cents: number): number => round2(cents / 100);

/** The UTC calendar day of an ISO 8601 UTC time (`...Z`, as the facts give them). */
export const dayOf = (iso: string): string => iso.slice(0, 10);

export function inRange(day: string, range: ReportRange): boolean {
  return (
    (range.from === undefined || day >= range.from) && (range.to === undefined || day <= range.to)
  );
}

/**
 * The p-th percentile (0..1) of ascending values by linear interpolation between closest ranks
 * (Hyndman and Fan type 7, as Excel's PERCENTILE.INC and numpy's default): rank h = (n - 1) p.
 */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const above = Math.min(below + 1, sorted.length - 1);

  return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}

const NONE_LABEL: Record<ReportGrouping, string> = {
  rep: '(no owner)',
  manager: '(no manager)',
  office: '(no office)',
  product: '(no product)',
  sector: '(no sector)',
  source: '(no lead source)',
  month: '(no date)',
};

/**
 * The group of a deal. `month` is the month of the date the report filters on (`day`). Reps and
 * products are keyed by id and labelled by name; the other groups are their value.
 */
export function groupOf(deal: DealFact, groupBy: ReportGrouping | undefined, day: string | null) {
  const byValue = (value: string | null, grouping: ReportGrouping): ReportGroup => ({
    key: value,
    label: value ?? NONE_LABEL[grouping],
  });
  switch (groupBy) {
    case undefined:
      return { key: 'all', label: 'All deals' };
    case 'rep':
      return { key: deal.ownerId, label: deal.repName ?? deal.ownerId ?? NONE_LABEL.rep };
    case 'product':
      return {
        key: deal.productId,
        label: deal.productName ?? deal.productId ?? NONE_LABEL.product,
      };
    case 'manager':
      return byValue(deal.manager, groupBy);
    case 'office':
      return byValue(deal.regionalOffice, groupBy);
    case 'sector':
      return byValue(deal.sector, groupBy);
    case 'source':
      return byValue(deal.leadSource, groupBy);
    case 'month':
      return byValue(day === null ? null : day.slice(0, 7), groupBy);
  }
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Groups in a stable order: by label, then key; the group of deals lacking it comes last. */
export function compareGroups(a: ReportGroup, b: ReportGroup): number {
  if ((a.key === null) !== (b.key === null)) return a.key === null ? 1 : -1;

  return compareText(a.label, b.label) || compareText(a.key ?? '', b.key ?? '');
}

/** Deals by group, groups in {@link compareGroups} order. */
export function groupDeals(
  deals: readonly DealFact[],
  groupBy: ReportGrouping | undefined,
  dayOfDeal: (deal: DealFact) => string | null,
): Array<{ group: ReportGroup; deals: DealFact[] }> {
  const groups = new Map<string, { group: ReportGroup; deals: DealFact[] }>();
  for (const deal of deals) {
    const group = groupOf(deal, groupBy, dayOfDeal(deal));
    const id = group.key === null ? '\u0000' : `k${group.key}`;
    const entry = groups.get(id) ?? { group, deals: [] };
    entry.deals.push(deal);
    groups.set(id, entry);
  }

  return [...groups.values()].sort((a, b) => compareGroups(a.group, b.group));
}

const groupColumns = (group: ReportGroup) => ({ groupKey: group.key, group: group.label });

const closeDay = (deal: DealFact): string | null =>
  deal.closedAt === null ? null : dayOf(deal.closedAt);

/** Won or lost deals whose close date (the UTC day of DealWon/DealLost) is in the range. */
function closedIn(deals: readonly DealFact[], range: ReportRange, status?: 'won' | 'lost') {
  return deals.filter((deal) => {
    const day = closeDay(deal);

    return (
      deal.status !== 'open' &&
      (status === undefined || deal.status === status) &&
      day !== null &&
      inRange(day, range)
    );
  });
}

/** Win rate: won / (won + lost) of the deals closed in the range; month = close month. */
export function winRate(deals: readonly DealFact[], range: ReportRange): WinRateRow[] {
  return groupDeals(closedIn(deals, range), range.groupBy, closeDay).map(({ group, deals }) => {
    const won = deals.filter((deal) => deal.status === 'won').length;
    const closed = deals.length;

    return {
      ...groupColumns(group),
      won,
      lost: closed - won,
      closed,
      winRate: closed === 0 ? null : round4(won / closed),
    };
  });
}

function stageIndex(stages: readonly StageFact[]): Map<string, StageFact> {
  return new Map(stages.map((stage) => [`${stage.pipelineId}\u0000${stage.stageId}`, stage]));
}

/**
 * Stage conversion of the deals opened in the range (opened-at day; month = opening month). For
 * each stage of their pipelines: the deals that entered it, and of those the deals that later
 * entered a stage further on that is not the lost stage (an open stage or the won stage).
 */
export function stageConversion(
  deals: readonly DealFact[],
  stages: readonly StageFact[],
  range: ReportRange,
): StageConversionRow[] {
  const index = stageIndex(stages);
  const cohort = deals.filter((deal) => inRange(dayOf(deal.openedAt), range));
  const pipelines = new Set(cohort.map((deal) => deal.pipelineId));
  const reported = stages.filter((stage) => pipelines.has(stage.pipelineId));
  const openedDay = (deal: DealFact) => dayOf(deal.openedAt);

  return groupDeals(cohort, range.groupBy, openedDay).flatMap(({ group, deals: members }) =>
    reported.map((stage) => {
      let entered = 0;
      let advanced = 0;
      for (const deal of members) {
        if (deal.pipelineId !== stage.pipelineId) continue;
        const positions = deal.stageEntries.map((e) =>
          index.get(`${deal.pipelineId}\u0000${e.stageId}`),
        );
        const first = positions.findIndex((s) => s?.stageId === stage.stageId);
        if (first < 0) continue;
        entered += 1;
        const later = positions.slice(first + 1);
        if (
          later.some((s) => s !== undefined && s.position > stage.position && s.kind !== 'lost')
        ) {
          advanced += 1;
        }
      }
      const measured = stage.kind === 'open';

      return {
        ...groupColumns(group),
        pipelineId: stage.pipelineId,
        pipeline: stage.pipeline,
        stageId: stage.stageId,
        stage: stage.name,
        position: stage.position,
        kind: stage.kind,
        entered,
        advanced: measured ? advanced : null,
        conversionRate: measured && entered > 0 ? round4(advanced / entered) : null,
      };
    }),
  );
}

/**
 * When the deal first entered a stage other than its pipeline's first one: its first move out of
 * the first stage, or its opening when it was opened further on. Null if it never did.
 */
export function firstEngagedAt(deal: DealFact, stages: Map<string, StageFact>): string | null {
  const entry = deal.stageEntries.find((e) => {
    const stage = stages.get(`${deal.pipelineId}\u0000${e.stageId}`);

    return stage !== undefined && stage.position > 0;
  });

  return entry?.at ?? null;
}

/**
 * Sales cycle in days from first engagement to close (DealWon/DealLost time), of the deals of
 * the outcome closed in the range; month = close month. Percentiles: see {@link percentile}.
 */
export function salesCycle(
  deals: readonly DealFact[],
  stages: readonly StageFact[],
  range: ReportRange,
  outcome: SalesCycleOutcome,
): SalesCycleRow[] {
  const index = stageIndex(stages);
  const closed = closedIn(deals, range, outcome);

  return groupDeals(closed, range.groupBy, closeDay).map(({ group, deals: members }) => {
    const days = members
      .map((deal) => {
        const engaged = firstEngagedAt(deal, index);

        return engaged === null
          ? null
          : (Date.parse(deal.closedAt!) - Date.parse(engaged)) / DAY_MS;
      })
      .filter((value): value is number => value !== null)
      .sort((a, b) => a - b);
    const stat = (value: number | null) => (value === null ? null : round2(value));
    const mean = days.length === 0 ? null : days.reduce((sum, d) => sum + d, 0) / days.length;

    return {
      ...groupColumns(group),
      deals: days.length,
      meanDays: stat(mean),
      medianDays: stat(percentile(days, 0.5)),
      p75Days: stat(percentile(days, 0.75)),
      p90Days: stat(percentile(days, 0.9)),
    };
  });
}

const sumCents = (deals: readonly DealFact[]): number =>
  deals.reduce((sum, deal) => sum + (deal.valueCents ?? 0), 0);

/**
 * Revenue: the won deals in the currency with a close date in the range; revenue is the sum of
 * the values they were won at (a won deal without a value adds 0); month = close month.
 */
export function revenue(
  deals: readonly DealFact[],
  range: ReportRange,
  currency: string,
): RevenueRow[] {
  const won = closedIn(deals, range, 'won').filter((deal) => deal.currency === currency);

  return groupDeals(won, range.groupBy, closeDay).map(({ group, deals: members }) => {
    const cents = sumCents(members);

    return {
      ...groupColumns(group),
      wonDeals: members.length,
      revenue: money(cents),
      averageDealSize: members.length === 0 ? null : money(cents / members.length),
    };
  });
}

/** Lead sources by won revenue, highest first (ties by name); the filter of {@link revenue}. */
export function leadSources(
  deals: readonly DealFact[],
  range: ReportRange,
  currency: string,
): LeadSourceRow[] {
  const rows = revenue(deals, { from: range.from, to: range.to, groupBy: 'source' }, currency);

  return rows
    .sort((a, b) => b.revenue - a.revenue || compareGroups(keyOf(a), keyOf(b)))
    .map((row, index) => ({ rank: index + 1, ...row }));
}

const keyOf = (row: { groupKey: string | null; group: string }): ReportGroup => ({
  key: row.groupKey,
  label: row.group,
});

function probabilityOf(deal: DealFact, index: Map<string, StageFact>): number | null {
  return index.get(`${deal.pipelineId}\u0000${deal.stageId}`)?.probability ?? null;
}

/**
 * Forecast: the deals open now (after every event seen) in the currency, by expected close
 * month and group. With a range, only deals whose expected close date is in it; without one,
 * also those with none (month null). Weighted: value x stage probability, for stages that have
 * one; the others are counted apart as unweighted.
 */
export function forecast(
  deals: readonly DealFact[],
  stages: readonly StageFact[],
  range: ReportRange,
  currency: string,
): ForecastRow[] {
  const index = stageIndex(stages);
  const bounded = range.from !== undefined || range.to !== undefined;
  const open = deals.filter(
    (deal) =>
      deal.status === 'open' &&
      deal.currency === currency &&
      (deal.expectedCloseDate === null ? !bounded : inRange(deal.expectedCloseDate, range)),
  );
  const expected = (deal: DealFact) => deal.expectedCloseDate;
  const rows: ForecastRow[] = [];
  for (const month of groupDeals(open, 'month', expected)) {
    for (const { group, deals: members } of groupDeals(month.deals, range.groupBy, expected)) {
      const weighted = members.filter((deal) => probabilityOf(deal, index) !== null);
      const unweighted = members.filter((deal) => probabilityOf(deal, index) === null);
      const weightedCents = weighted.reduce(
        (sum, deal) => sum + ((deal.valueCents ?? 0) * probabilityOf(deal, index)!) / 100,
        0,
      );
      rows.push({
        ...groupColumns(group),
        expectedCloseMonth: month.group.key,
        openDeals: members.length,
        openValue: money(sumCents(members)),
        weightedValue: money(weightedCents),
        unweightedDeals: unweighted.length,
        unweightedValue: money(sumCents(unweighted)),
      });
    }
  }

  return rows;
}

/** The open deals in the currency expected to close in the month, by group, date and id. */
export function closingInMonth(
  deals: readonly DealFact[],
  stages: readonly StageFact[],
  month: string,
  groupBy: ReportGrouping | undefined,
  currency: string,
): ClosingDealRow[] {
  const index = stageIndex(stages);
  const closing = deals
    .filter(
      (deal) =>
        deal.status === 'open' &&
        deal.currency === currency &&
        deal.expectedCloseDate?.slice(0, 7) === month,
    )
    .sort(
      (a, b) =>
        compareText(a.expectedCloseDate!, b.expectedCloseDate!) || compareText(a.dealId, b.dealId),
    );

  return groupDeals(closing, groupBy, (deal) => deal.expectedCloseDate).flatMap(
    ({ group, deals: members }) =>
      members.map((deal) => {
        const stage = index.get(`${deal.pipelineId}\u0000${deal.stageId}`);
        const probability = stage?.probability ?? null;
        const value = deal.valueCents === null ? null : money(deal.valueCents);

        return {
          ...groupColumns(group),
          dealId: deal.dealId,
          title: deal.title,
          expectedCloseDate: deal.expectedCloseDate!,
          stage: stage?.name ?? deal.stageId,
          probability,
          ownerId: deal.ownerId,
          owner: deal.repName,
          value,
          weightedValue:
            probability === null || deal.valueCents === null
              ? null
              : money((deal.valueCents * probability) / 100),
        };
      }),
  );
}

/** The first and last day of a month `YYYY-MM`. */
export function monthBounds(month: string): { from: string; to: string } {
  const [year, monthNumber] = month.split('-').map(Number);
  const last = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();

  return { from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}` };
}
