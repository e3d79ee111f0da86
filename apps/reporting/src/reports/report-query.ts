import {
  REPORT_GROUPINGS,
  REPORT_NAMES,
  ReportGrouping,
  ReportName,
  ReportQuery,
  SALES_CYCLE_OUTCOMES,
  SalesCycleOutcome,
} from '@relate/contracts';
import { FieldViolation } from '@relate/errors';

import { invalidReportQuery, reportNotFound } from '../reporting.errors';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const CURRENCY = /^[A-Z]{3}$/;
const KNOWN = new Set(['from', 'to', 'groupBy', 'pipelineId', 'currency', 'outcome', 'month']);

const isDate = (text: string): boolean =>
  DATE.test(text) && new Date(`${text}T00:00:00Z`).toISOString().slice(0, 10) === text;

export function reportNameOf(name: string): ReportName {
  if (!(REPORT_NAMES as readonly string[]).includes(name)) throw reportNotFound(name);

  return name as ReportName;
}

/**
 * The query of a report, checked again here although the gateway validates it: the service
 * must never fail on input, and from > to is a rule across two fields.
 */
export function parseReportQuery(name: ReportName, raw: Record<string, unknown>): ReportQuery {
  const violations: FieldViolation[] = [];
  const text = (field: string): string | undefined => {
    const value = raw[field];
    if (value === undefined) return undefined;
    if (typeof value === 'string') return value;
    violations.push({ field, reason: 'must be given once, as text' });

    return undefined;
  };
  for (const field of Object.keys(raw)) {
    if (!KNOWN.has(field)) violations.push({ field, reason: 'is not a report parameter' });
  }
  const check = (field: string, ok: (value: string) => boolean, reason: string) => {
    const value = text(field);
    if (value !== undefined && !ok(value)) violations.push({ field, reason });

    return value;
  };
  const from = check('from', isDate, 'must be a date YYYY-MM-DD');
  const to = check('to', isDate, 'must be a date YYYY-MM-DD');
  if (from && to && isDate(from) && isDate(to) && from > to) {
    violations.push({ field: 'from', reason: 'must not be after to' });
  }
  const groupings = REPORT_GROUPINGS as readonly string[];
  const groupBy = check('groupBy', (v) => groupings.includes(v), `must be one of ${groupings}`);
  if (name === 'lead-sources' && groupBy !== undefined && groupBy !== 'source') {
    violations.push({ field: 'groupBy', reason: 'lead-sources is always grouped by source' });
  }
  const pipelineId = check('pipelineId', (v) => v.length > 0 && v.length <= 100, 'must be an id');
  const currency = check('currency', (v) => CURRENCY.test(v), 'must be an ISO 4217 code');
  const outcomes = SALES_CYCLE_OUTCOMES as readonly string[];
  const outcome = check('outcome', (v) => outcomes.includes(v), `must be one of ${outcomes}`);
  if (outcome !== undefined && name !== 'sales-cycle') {
    violations.push({ field: 'outcome', reason: 'applies to sales-cycle only' });
  }
  const month = check('month', (v) => MONTH.test(v), 'must be a month YYYY-MM');
  if (month !== undefined && name !== 'closing-this-month') {
    violations.push({ field: 'month', reason: 'applies to closing-this-month only' });
  }
  if (violations.length > 0) throw invalidReportQuery(violations);

  return {
    from,
    to,
    groupBy: groupBy as ReportGrouping | undefined,
    pipelineId,
    currency,
    outcome: outcome as SalesCycleOutcome | undefined,
    month,
  };
}
