import { DetailTable, Figure, MeasurementResult, ratioOf, Target, targetMet } from './bench-types';

/** A measurement as the run finished it: its figures, or why it has none. */
export interface MeasurementOutcome extends Partial<MeasurementResult> {
  id: number;
  title: string;
  seconds: number;
  error?: string;
}

/** Where and when the run happened: figures only compare within one such run. */
export interface RunFacts {
  startedAt: string;
  commit: string;
  scale: string;
  node: string;
  cpus: string;
  memoryGiB: number;
  postgres: string;
  seconds: number;
}

export interface BenchReport {
  facts: RunFacts;
  measurements: MeasurementOutcome[];
}

const number = (value: number): string => {
  if (!Number.isFinite(value)) {
    return String(value);
  }
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;

  return value.toLocaleString('en-US', { maximumFractionDigits: digits });
};

export function targetText(target: Target | undefined, unit: string): string {
  if (!target) {
    return '-';
  }
  const suffix = target.on === 'ratio' ? 'x' : ` ${unit}`;
  const bounds = [
    target.atLeast === undefined ? undefined : `≥ ${number(target.atLeast)}${suffix}`,
    target.atMost === undefined ? undefined : `≤ ${number(target.atMost)}${suffix}`,
  ].filter(Boolean);

  return bounds.join(', ');
}

function verdict(figure: Figure): string {
  const met = targetMet(figure);

  return met === undefined ? '-' : met ? 'met' : '**missed**';
}

function figureCells(figure: Figure): string[] {
  const ratio = ratioOf(figure);

  return [
    figure.what,
    `${number(figure.value)} ${figure.unit}`,
    figure.baseline ? `${number(figure.baseline.value)} (${figure.baseline.name})` : '-',
    ratio === undefined ? '-' : `${number(ratio)}x`,
    targetText(figure.target, figure.unit),
    verdict(figure),
  ];
}

function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  const cell = (value: unknown) => (typeof value === 'number' ? number(value) : String(value));
  const line = (cells: readonly unknown[]) => `| ${cells.map(cell).join(' | ')} |`;

  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Every figure of every measurement in one table, failed measurements included. */
export function summaryTable(measurements: readonly MeasurementOutcome[]): string {
  const header = ['#', 'measurement', 'figure', 'Relate', 'baseline', 'ratio', 'target', ''];
  const rows = measurements.flatMap((outcome) => {
    if (outcome.error !== undefined) {
      return [[outcome.id, outcome.title, `FAILED: ${outcome.error}`, '-', '-', '-', '-', '']];
    }

    return (outcome.figures ?? []).map((figure, index) => [
      index === 0 ? outcome.id : '',
      index === 0 ? outcome.title : '',
      ...figureCells(figure),
    ]);
  });

  return markdownTable(header, rows);
}

function detailTable(table: DetailTable): string {
  return `**${table.title}**\n\n${markdownTable(table.header, table.rows)}`;
}

function section(outcome: MeasurementOutcome): string {
  const parts = [`## ${outcome.id}. ${outcome.title}`, `Took ${number(outcome.seconds)} s.`];
  if (outcome.error !== undefined) {
    parts.push(`Failed: ${outcome.error}`);
  }
  parts.push(...(outcome.tables ?? []).map(detailTable), ...(outcome.notes ?? []));

  return parts.join('\n\n');
}

/** The report as Markdown: the run's facts, the summary table, a section a measurement. */
export function renderReport(report: BenchReport): string {
  const { facts } = report;
  const header = [
    '# Relate benchmarks',
    'Written by `npm run bench`; every baseline was measured in the same run as the figure ' +
      'beside it, in interleaved rounds (the figure is the median). Ratios are Relate over ' +
      'the baseline.',
    markdownTable(
      ['run', 'commit', 'scale', 'machine', 'Node.js', 'PostgreSQL', 'took'],
      [
        [
          facts.startedAt,
          facts.commit,
          facts.scale,
          `${facts.cpus}, ${number(facts.memoryGiB)} GiB`,
          facts.node,
          facts.postgres,
          `${number(facts.seconds / 60)} min`,
        ],
      ],
    ),
    '## Summary',
    summaryTable(report.measurements),
  ];

  return `${[...header, ...report.measurements.map(section)].join('\n\n')}\n`;
}
