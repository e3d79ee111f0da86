import { CsvRecord, CsvTable } from '../../../tools/import/src/csv.parser';
import { MAVEN_FILES, MavenTables } from '../../../tools/import/src/import.plan';
import { planImport } from '../../../tools/import/src/import.planner';
import { matchKey } from '../../../tools/import/src/maven.normaliser';
import { itemSeed, SeededRandom } from './seeded-random';

/** The size and seed of a generated data set shaped like the Maven files. */
export interface GeneratedSet {
  seed: number;
  /** Accounts and sales reps of the whole set; every slice of deals draws from all of them. */
  accounts: number;
  reps: number;
}

const DAY_MS = 86_400_000;

/**
 * Accounts and reps grow with the largest size of a run (the Maven files have 85 accounts and 35
 * reps for 8,800 deals), but more slowly than deals, so a company's timeline grows too.
 */
export function generatedSetFor(largestDeals: number, seed: number): GeneratedSet {
  return {
    seed,
    accounts: Math.max(85, Math.ceil(largestDeals / 1_000)),
    reps: Math.max(35, Math.ceil(largestDeals / 2_500)),
  };
}

/**
 * The four Maven tables of a generated set, with the deals `from` to `to` (exclusive). Every
 * record is drawn from the model's records by a seeded generator of its own index (bootstrap
 * resampling), so the distributions of stages, products, sectors, values, parent links and
 * sales cycles are the model's, and the same set and slice always give the same rows.
 */
export function generateTables(
  model: MavenTables,
  set: GeneratedSet,
  from: number,
  to: number,
): MavenTables {
  const templates = usableDeals(model);
  const accounts = new CopiedNames(model.accounts, 'account', set.accounts);
  const reps = new CopiedNames(model.teams, 'sales_agent', set.reps);

  return {
    accounts: table(model.accounts.header, set.accounts, (i) => accountRow(model, accounts, i)),
    products: model.products,
    teams: table(model.teams.header, set.reps, (i) => repRow(model, reps, i)),
    pipeline: table(model.pipeline.header, to - from, (i) => {
      const index = from + i;

      const random = new SeededRandom(itemSeed(set.seed, index));

      return dealRow(templates, { set, accounts, reps }, index, random);
    }),
  };
}

const usable = new WeakMap<MavenTables, CsvRecord[]>();

/** The model's deal rows the import takes: a row it refuses is no template for generated ones. */
function usableDeals(model: MavenTables): CsvRecord[] {
  let rows = usable.get(model);
  if (rows === undefined) {
    const refused = new Set(
      planImport(model)
        .problems.filter((problem) => problem.file === MAVEN_FILES.pipeline)
        .map((problem) => problem.line),
    );
    rows = model.pipeline.records.filter((record) => !refused.has(record.line));
    usable.set(model, rows);
  }

  return rows;
}

function table(
  header: string[],
  count: number,
  row: (index: number) => Record<string, string>,
): CsvTable {
  const records: CsvRecord[] = Array.from({ length: count }, (_, index) => ({
    line: index + 2,
    values: row(index),
  }));

  return { header, records, defects: [] };
}

/** Generated record `i` copies model record `i mod n`; its name gets the copy's index. */
class CopiedNames {
  private readonly indexOf = new Map<string, number>();

  constructor(
    readonly model: CsvTable,
    private readonly column: string,
    readonly count: number,
  ) {
    model.records.forEach(({ values }, index) => this.indexOf.set(matchKey(values[column]), index));
  }

  template(index: number): Record<string, string> {
    return this.model.records[index % this.model.records.length].values;
  }

  name(index: number): string {
    return `${this.template(index)[this.column].trim()} ${index}`;
  }

  /** The generated copy of a model name within the block of copies that `block` starts. */
  copyOf(modelName: string, block: number): string | undefined {
    const modelIndex = this.indexOf.get(matchKey(modelName));
    if (modelIndex === undefined) return undefined;
    const index = block + modelIndex;

    return this.name(index < this.count ? index : modelIndex);
  }

  /** A random copy of a model name: the model's skew between names is kept. */
  randomCopyOf(modelName: string, random: SeededRandom): string {
    const blocks = Math.ceil(this.count / this.model.records.length);

    return this.copyOf(modelName, random.below(blocks) * this.model.records.length) ?? modelName;
  }
}

function accountRow(model: MavenTables, accounts: CopiedNames, index: number) {
  const values: Record<string, string> = {
    ...accounts.template(index),
    account: accounts.name(index),
  };
  const parent = values.subsidiary_of?.trim();
  const block = index - (index % model.accounts.records.length);
  values.subsidiary_of = parent ? (accounts.copyOf(parent, block) ?? '') : '';

  return values;
}

function repRow(model: MavenTables, reps: CopiedNames, index: number) {
  const template = reps.template(index);
  const copy = Math.floor(index / model.teams.records.length);

  return {
    ...template,
    sales_agent: reps.name(index),
    manager: template.manager.trim() ? `${template.manager.trim()} ${copy}` : '',
  };
}

function dealRow(
  templates: CsvRecord[],
  names: { set: GeneratedSet; accounts: CopiedNames; reps: CopiedNames },
  index: number,
  random: SeededRandom,
): Record<string, string> {
  const template = random.pick(templates).values;
  // Dates move together by up to two weeks either way: the sales cycle stays the model's.
  const shiftDays = random.below(29) - 14;
  const account = template.account?.trim();
  const agent = template.sales_agent?.trim();

  return {
    ...template,
    opportunity_id: `G${names.set.seed.toString(36)}-${index.toString(36).toUpperCase()}`,
    sales_agent: agent ? names.reps.randomCopyOf(agent, random) : '',
    account: account ? names.accounts.randomCopyOf(account, random) : '',
    engage_date: shiftDate(template.engage_date, shiftDays),
    close_date: shiftDate(template.close_date, shiftDays),
  };
}

function shiftDate(raw: string | undefined, days: number): string {
  const text = raw?.trim() ?? '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return text;

  return new Date(Date.parse(`${text}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
