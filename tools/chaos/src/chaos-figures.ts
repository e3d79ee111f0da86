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
  /** How long the scenario ran, set by the runner. */
  seconds?: number;
}

/** The row of a scenario that failed before it had figures: every count unknown. */
export function failedFigures(scenario: number, name: string, error: unknown): ChaosFigures {
  const message = error instanceof Error ? error.message : String(error);

  return {
    scenario,
    name,
    acknowledged: NaN,
    expectedEvents: NaN,
    foundEvents: NaN,
    lost: NaN,
    appliedTwice: NaN,
    recoverySeconds: null,
    detail: `FAILED: ${message.split('\n')[0]}`,
  };
}

const count = (value: number): string => (Number.isNaN(value) ? '?' : String(value));
const secondsOf = (value: number | null | undefined): string =>
  value === null || value === undefined ? '-' : value.toFixed(1);

const COLUMNS: Array<[string, (figures: ChaosFigures) => string]> = [
  ['#', (f) => String(f.scenario)],
  ['scenario', (f) => f.name],
  ['acknowledged', (f) => count(f.acknowledged)],
  ['expected', (f) => count(f.expectedEvents)],
  ['found', (f) => count(f.foundEvents)],
  ['lost', (f) => count(f.lost)],
  ['applied twice', (f) => count(f.appliedTwice)],
  ['recovery s', (f) => secondsOf(f.recoverySeconds)],
  ['took s', (f) => secondsOf(f.seconds)],
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
