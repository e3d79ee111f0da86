/** What one fault scenario measured; the same columns for every scenario. */
export interface ChaosFigures {
  /** Number of the scenario in the list of guarantees (1-10). */
  scenario: number;
  name: string;
  /** Commands (or writes) that were acknowledged to their client. */
  acknowledged: number;
  /** Events the acknowledged work should have produced. */
  expectedEvents: number;
  /** Of those, events found where the scenario looked (topic, read model). */
  foundEvents: number;
  lost: number;
  appliedTwice: number;
  /** From the end of the fault to everything caught up; null where no fault has an end. */
  recoverySeconds: number | null;
  /** One line on what else the scenario saw (rejections, faults injected, retries). */
  detail: string;
}

const COLUMNS: Array<[string, (figures: ChaosFigures) => string]> = [
  ['#', (f) => String(f.scenario)],
  ['scenario', (f) => f.name],
  ['acknowledged', (f) => String(f.acknowledged)],
  ['expected', (f) => String(f.expectedEvents)],
  ['found', (f) => String(f.foundEvents)],
  ['lost', (f) => String(f.lost)],
  ['applied twice', (f) => String(f.appliedTwice)],
  ['recovery s', (f) => (f.recoverySeconds === null ? '-' : f.recoverySeconds.toFixed(1))],
  ['detail', (f) => f.detail],
];

/** A Markdown table, readable in a terminal and pasteable into a note. */
export function figuresTable(rows: readonly ChaosFigures[]): string {
  const header = `| ${COLUMNS.map(([title]) => title).join(' | ')} |`;
  const rule = `| ${COLUMNS.map(() => '---').join(' | ')} |`;
  const lines = rows.map((row) => `| ${COLUMNS.map(([, cell]) => cell(row)).join(' | ')} |`);

  return [header, rule, ...lines].join('\n');
}

/** Whether the scenario kept the promise: nothing lost, nothing applied twice. */
export function keptPromise(figures: ChaosFigures): boolean {
  return figures.lost === 0 && figures.appliedTwice === 0;
}
