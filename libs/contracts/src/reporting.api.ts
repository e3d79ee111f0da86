/**
 * Requests and answers of the reports (gateway `/api/v1/reports/<name>`, reporting service
 * `/reports/<name>`). Every report is computed from the reporting service's read models, which
 * are built from the contacts and pipeline topics only.
 *
 * Dates are calendar days in UTC (`YYYY-MM-DD`), both ends of a range included. Money is a
 * number with at most 2 decimals in the report's `currency`; amounts in different currencies
 * are never added up (a money report covers one currency). Rates are fractions (0..1) with 4
 * decimals; durations are days with 2 decimals.
 */

export const REPORT_NAMES = [
  'win-rate',
  'stage-conversion',
  'sales-cycle',
  'revenue',
  'forecast',
  'closing-this-month',
  'lead-sources',
] as const;

export type ReportName = (typeof REPORT_NAMES)[number];

/** What the rows of a report are grouped by; absent: one row for all deals. */
export const REPORT_GROUPINGS = [
  'rep',
  'manager',
  'office',
  'product',
  'sector',
  'source',
  'month',
] as const;

export type ReportGrouping = (typeof REPORT_GROUPINGS)[number];

export const SALES_CYCLE_OUTCOMES = ['won', 'lost'] as const;

export type SalesCycleOutcome = (typeof SALES_CYCLE_OUTCOMES)[number];

export interface ReportQuery {
  /** First day of the range (UTC, included); absent: no lower bound. */
  from?: string;
  /** Last day of the range (UTC, included); absent: no upper bound. */
  to?: string;
  groupBy?: ReportGrouping;
  pipelineId?: string;
  /** ISO 4217; money reports default to the tenant's most used currency (USD if none). */
  currency?: string;
  /** sales-cycle only; default `won`. */
  outcome?: SalesCycleOutcome;
  /** closing-this-month only (`YYYY-MM`); default the current month in UTC. */
  month?: string;
}

/** The group a row stands for: an id (rep, product) or a value (sector, month), and its label. */
export interface ReportGroup {
  /** `all` when the report is not grouped; null when the deal lacks the attribute. */
  key: string | null;
  label: string;
}

export type ReportCell = string | number | null;

export interface Report<TRow extends object = Record<string, ReportCell>> {
  report: ReportName;
  from: string | null;
  to: string | null;
  groupBy: ReportGrouping | null;
  /** The currency of every amount in the rows; null for reports that only count deals. */
  currency: string | null;
  /** The row fields in order: the CSV header. */
  columns: string[];
  rows: TRow[];
  /** sales-cycle: the outcome measured. */
  outcome?: SalesCycleOutcome;
  /** closing-this-month: the month. */
  month?: string;
}

interface GroupedRow {
  groupKey: string | null;
  group: string;
}

export interface WinRateRow extends GroupedRow {
  won: number;
  lost: number;
  closed: number;
  /** won / (won + lost); null when nothing closed. */
  winRate: number | null;
}

export interface StageConversionRow extends GroupedRow {
  pipelineId: string;
  pipeline: string;
  stageId: string;
  stage: string;
  position: number;
  kind: string;
  entered: number;
  /** Entered this stage, then a later open stage or the won stage; null for won/lost stages. */
  advanced: number | null;
  conversionRate: number | null;
}

export interface SalesCycleRow extends GroupedRow {
  deals: number;
  meanDays: number | null;
  medianDays: number | null;
  p75Days: number | null;
  p90Days: number | null;
}

export interface RevenueRow extends GroupedRow {
  wonDeals: number;
  revenue: number;
  averageDealSize: number | null;
}

export interface ForecastRow extends GroupedRow {
  /** `YYYY-MM`, or null for open deals with no expected close date. */
  expectedCloseMonth: string | null;
  openDeals: number;
  openValue: number;
  /** Sum of value x probability of the deals whose stage has a probability. */
  weightedValue: number;
  /** The deals whose stage has no probability: not in weightedValue. */
  unweightedDeals: number;
  unweightedValue: number;
}

export interface ClosingDealRow extends GroupedRow {
  dealId: string;
  title: string;
  expectedCloseDate: string;
  stage: string;
  probability: number | null;
  ownerId: string | null;
  owner: string | null;
  value: number | null;
  weightedValue: number | null;
}

export interface LeadSourceRow extends GroupedRow {
  rank: number;
  wonDeals: number;
  revenue: number;
  averageDealSize: number | null;
}
