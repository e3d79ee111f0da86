import { CurrencyTotal } from '@relate/contracts';

import { Adjustment, ImportPlan, MAVEN_FILES, MavenFile } from './import.plan';
import { ImportedKind, ImportOutcome } from './import.runner';
import { SummaryWait } from './pipeline.summary';

export interface ReportInput {
  folder: string;
  plan: ImportPlan;
  outcome: ImportOutcome;
  importMs: number;
  wait: SummaryWait;
}

const PLURAL: Record<Adjustment['subject'], string> = {
  company: 'companies',
  deal: 'deals',
  product: 'products',
  rep: 'reps',
};
const subjectOf = (a: Adjustment) => (a.count === 1 ? a.subject : PLURAL[a.subject]);

const amount = (value: number) => Math.round(value).toLocaleString('en-US');
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The text the import prints at its end: what it did, what it changed, what it could not do. */
export function formatReport(input: ReportInput): string {
  return [
    ...headerLines(input),
    ...countLines(input),
    ...adjustmentLines(input.plan),
    ...problemLines(input),
    ...summaryLines(input),
  ].join('\n');
}

function headerLines({ folder, plan }: ReportInput): string[] {
  const files = (Object.keys(MAVEN_FILES) as MavenFile[])
    .map((file) => `${MAVEN_FILES[file]} ${plan.rowCounts[file]}`)
    .join(', ');

  return [`Maven CRM import from ${folder}`, `  rows read: ${files}`, ''];
}

function countLines({ outcome, importMs }: ReportInput): string[] {
  const line = (kind: ImportedKind) => {
    const { created, existing, failed } = outcome.counts[kind];
    const failures = failed > 0 ? `, ${failed} failed` : '';

    const label = `  ${kind.padEnd(10)} ${String(created).padStart(5)} created`;

    return `${label}, ${existing} already there${failures}`;
  };
  const { applied, alreadyDone } = outcome.steps;
  const pipelineState = outcome.pipeline === 'created' ? 'created' : 'already there';

  return [
    `Imported in ${seconds(importMs)}:`,
    line('reps'),
    line('products'),
    line('companies'),
    `  ${'pipeline'.padEnd(10)} "Maven CRM" ${pipelineState}`,
    line('deals'),
    `  ${'steps'.padEnd(10)} ${String(applied).padStart(5)} stage moves and closings sent, ` +
      `${alreadyDone} already done`,
    '',
  ];
}

function adjustmentLines(plan: ImportPlan): string[] {
  const sorted = [...plan.adjustments].sort((a, b) => b.count - a.count);
  const lines = sorted.map(
    (a) => `  ${String(a.count).padStart(5)} ${subjectOf(a).padEnd(10)} ${a.description}`,
  );

  return [
    lines.length > 0 ? 'Adjusted (everything else is imported as it is):' : 'Adjusted: nothing',
    ...lines,
    'Notes:',
    ...plan.notes.map((note) => `  ${note}`),
    '',
  ];
}

function problemLines({ plan, outcome }: ReportInput): string[] {
  const problems = [
    ...plan.problems.map((p) => ({ ...p, stage: 'skipped' })),
    ...outcome.failures.map((p) => ({ ...p, stage: 'refused by the API' })),
  ];
  if (problems.length === 0) return ['Not imported: no row', ''];

  return [
    `Not imported: ${problems.length} row(s)`,
    ...problems.map((p) => `  ${p.file}:${p.line} ${p.stage}: ${p.reason}`),
    '',
  ];
}

function summaryLines({ wait, outcome }: ReportInput): string[] {
  const { summary } = wait;
  if (!summary) return [`Pipeline ${outcome.pipelineId}: no summary answered`];
  const state = wait.complete
    ? `complete ${seconds(wait.waitedMs)} after the last command`
    : `still incomplete after ${seconds(wait.waitedMs)}: the read model is catching up`;
  // Mixed currencies have no single total: each currency's is shown.
  const money = (values: CurrencyTotal[]) =>
    values.length === 0
      ? amount(0)
      : values.map((v) => `${amount(v.total)} ${v.currency}`).join(', ');
  const row = (name: string, kind: string, count: number, values: CurrencyTotal[]) =>
    `  ${name.padEnd(12)} ${kind.padEnd(5)} ${String(count).padStart(6)} ` +
    money(values).padStart(14);

  return [
    `Pipeline summary "${summary.name}" (${state}):`,
    `  ${'stage'.padEnd(12)} ${'kind'.padEnd(5)} ${'deals'.padStart(6)} ${'value'.padStart(14)}`,
    ...summary.stages.map((s) => row(s.name, s.kind, s.dealCount, s.values)),
    row('total', '', summary.totals.dealCount, summary.totals.values),
  ];
}
