import { Report, ReportCell } from '@relate/contracts';

// Spreadsheets run a cell that starts with one of these as a formula (CSV injection): such text
// cells get a leading apostrophe. Numbers are written as numbers, so negative amounts stay.
// Blanks before the sign, and the full-width signs some locales convert, count too.
const FORMULA_START = /^[\t\r]|^\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20]/;

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
export function csvField(value: ReportCell | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;

  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The report as CSV: a header row of its columns, then a line per row, CRLF line ends. */
export function reportToCsv(report: Report<object>): string {
  const lines = [report.columns.map(csvField).join(',')];
  for (const row of report.rows as Array<Record<string, ReportCell>>) {
    lines.push(report.columns.map((column) => csvField(row[column])).join(','));
  }

  return `${lines.join('\r\n')}\r\n`;
}

/** e.g. `revenue-2017-01-01-2017-12-31.csv`; only characters safe in a header. */
export function reportFilename(report: Report<object>): string {
  const parts = [report.report, report.month ?? [report.from, report.to].filter(Boolean).join('-')];

  return `${parts
    .filter(Boolean)
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_')}.csv`;
}
