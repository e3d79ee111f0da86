import { CsvRecord } from './csv.parser';
import { MavenIds } from './import.ids';
import {
  Adjustment,
  CompanyCommand,
  DealCommand,
  DealStep,
  ImportPlan,
  MAVEN_FILES,
  MAVEN_PIPELINE_NAME,
  MAVEN_STAGES,
  MavenFile,
  MavenStage,
  MavenTables,
  ProductCommand,
  RepCommand,
  RowProblem,
  StageExpectation,
} from './import.plan';
import {
  cleanText,
  FieldResult,
  matchKey,
  matchName,
  millionsToDollars,
  normaliseCountry,
  normaliseSector,
  parseDate,
  parseInteger,
  parseNumber,
} from './maven.normaliser';

export const LOST_REASON = 'No reason recorded (Maven CRM import)';
export const CURRENCY = 'USD';

const REQUIRED_COLUMNS: Record<MavenFile, string[]> = {
  accounts: ['account', 'sector', 'year_established', 'revenue', 'employees', 'office_location'],
  products: ['product', 'series', 'sales_price'],
  teams: ['sales_agent', 'manager', 'regional_office'],
  pipeline: [
    'opportunity_id',
    'sales_agent',
    'product',
    'account',
    'deal_stage',
    'engage_date',
    'close_date',
    'close_value',
  ],
};

/** A file that lacks a column the import needs: nothing of it can be read. */
export class MissingColumnsError extends Error {
  constructor(
    readonly file: string,
    readonly columns: string[],
  ) {
    super(`${file} lacks the column(s) ${columns.join(', ')}`);
    this.name = 'MissingColumnsError';
  }
}

class AdjustmentTally {
  private readonly counts = new Map<string, Adjustment>();

  add(subject: Adjustment['subject'], description: string): void {
    const key = `${subject}\u0000${description}`;
    const entry = this.counts.get(key) ?? { subject, description, count: 0 };
    entry.count += 1;
    this.counts.set(key, entry);
  }

  list(): Adjustment[] {
    return [...this.counts.values()];
  }
}

/**
 * Turns the four Maven CRM tables into the commands the import sends. Pure: the same files give
 * the same plan, which is what makes a second import a no-op.
 */
export function planImport(tables: MavenTables): ImportPlan {
  for (const file of Object.keys(MAVEN_FILES) as MavenFile[]) {
    const missing = REQUIRED_COLUMNS[file].filter((c) => !tables[file].header.includes(c));
    if (missing.length > 0) throw new MissingColumnsError(MAVEN_FILES[file], missing);
  }
  const planner = new Planner(tables);

  return planner.plan();
}

class Planner {
  private readonly tally = new AdjustmentTally();
  private readonly problems: RowProblem[] = [];
  private readonly reps = new Map<string, RepCommand>();
  private readonly companies = new Map<string, { command: CompanyCommand; parent?: string }>();
  private readonly products = new Map<string, ProductCommand>();
  private readonly companyNames = new Map<string, string>();
  private readonly productNames = new Map<string, string>();
  private readonly repNames = new Map<string, string>();
  private readonly dealLines = new Map<string, number>();

  constructor(private readonly tables: MavenTables) {}

  plan(): ImportPlan {
    for (const file of Object.keys(MAVEN_FILES) as MavenFile[]) {
      for (const defect of this.tables[file].defects) {
        this.problems.push({ file: MAVEN_FILES[file], ...defect });
      }
    }
    this.tables.teams.records.forEach((record) => this.planRep(record));
    this.tables.products.records.forEach((record) => this.planProduct(record));
    this.tables.accounts.records.forEach((record) => this.planCompany(record));
    const companyLevels = this.linkParents();
    const deals = this.tables.pipeline.records
      .map((record) => this.planDeal(record))
      .filter((deal): deal is DealCommand => deal !== undefined);
    this.problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);

    return {
      reps: [...this.reps.values()],
      companyLevels,
      products: [...this.products.values()].map(({ source, body }) => ({ source, body })),
      pipeline: {
        body: {
          id: MavenIds.pipeline(),
          name: MAVEN_PIPELINE_NAME,
          stages: MAVEN_STAGES.map((s) => ({ id: MavenIds.stage(s.name), ...s })),
        },
      },
      deals,
      expected: expectedSummary(deals),
      adjustments: this.tally.list(),
      notes: this.notes(deals),
      problems: this.problems,
      rowCounts: rowCounts(this.tables),
    };
  }

  private text(subject: Adjustment['subject'], raw: string | undefined): string {
    const text = cleanText(raw);
    if (text !== (raw ?? '')) this.tally.add(subject, 'value with extra whitespace: trimmed');

    return text;
  }

  private field<T>(subject: Adjustment['subject'], result: FieldResult<T>): T | undefined {
    if (result.ok) return result.value;
    this.tally.add(subject, `${result.reason}: imported without it`);

    return undefined;
  }

  private reject(file: MavenFile, line: number, reason: string): undefined {
    this.problems.push({ file: MAVEN_FILES[file], line, reason });

    return undefined;
  }

  private planRep({ line, values }: CsvRecord): void {
    const name = this.text('rep', values.sales_agent);
    if (!name) return this.reject('teams', line, 'no sales_agent name');
    const key = matchKey(name);
    const earlier = this.reps.get(key);
    if (earlier) {
      return this.reject('teams', line, `same sales agent as line ${earlier.source.line}`);
    }
    const manager = this.text('rep', values.manager) || undefined;
    const regionalOffice = this.text('rep', values.regional_office) || undefined;
    const source = { file: MAVEN_FILES.teams, line };
    this.reps.set(key, { source, body: { id: MavenIds.rep(name), name, manager, regionalOffice } });
    this.repNames.set(key, name);
  }

  private planProduct({ line, values }: CsvRecord): void {
    const name = this.text('product', values.product);
    if (!name) return this.reject('products', line, 'no product name');
    const key = matchKey(name);
    const earlier = this.products.get(key);
    if (earlier) {
      return this.reject('products', line, `same product as line ${earlier.source.line}`);
    }
    const series = this.text('product', values.series) || undefined;
    const listPrice = this.field('product', parseNumber(values.sales_price, 'sales_price'));
    const body = { id: MavenIds.product(name), name, series, listPrice };
    this.products.set(key, { source: { file: MAVEN_FILES.products, line }, body });
    this.productNames.set(key, name);
  }

  private planCompany({ line, values }: CsvRecord): void {
    const name = this.text('company', values.account);
    if (!name) return this.reject('accounts', line, 'no account name');
    const key = matchKey(name);
    const earlier = this.companies.get(key);
    if (earlier) {
      const reason = `same account as line ${earlier.command.source.line}`;

      return this.reject('accounts', line, reason);
    }
    const sector = normaliseSector(values.sector);
    const country = normaliseCountry(values.office_location);
    for (const adjustment of [sector.adjustment, country.adjustment]) {
      if (adjustment) this.tally.add('company', adjustment);
    }
    const revenue = this.field('company', parseNumber(values.revenue, 'revenue'));
    const command: CompanyCommand = {
      source: { file: MAVEN_FILES.accounts, line },
      body: {
        id: MavenIds.company(name),
        name,
        sector: sector.value,
        yearEstablished: this.field(
          'company',
          parseInteger(values.year_established, 'year_established'),
        ),
        revenue: revenue === undefined ? undefined : millionsToDollars(revenue),
        employees: this.field('company', parseInteger(values.employees, 'employees')),
        officeLocation: country.value,
      },
    };
    const parent = this.text('company', values.subsidiary_of) || undefined;
    this.companies.set(key, { command, parent });
    this.companyNames.set(key, name);
  }

  /** Resolves `subsidiary_of` and orders companies so that every parent exists first. */
  private linkParents(): CompanyCommand[][] {
    const depth = new Map<string, number>();
    const depthOf = (key: string, seen: Set<string>): number => {
      const known = depth.get(key);
      if (known !== undefined) return known;
      const entry = this.companies.get(key)!;
      const parentKey = entry.parent === undefined ? undefined : matchKey(entry.parent);
      let level = 0;
      if (parentKey !== undefined && !this.companies.has(parentKey)) {
        this.tally.add('company', 'parent company not among the accounts: imported without it');
      } else if (parentKey !== undefined && seen.has(parentKey)) {
        this.tally.add('company', 'parent links form a cycle: imported without a parent');
      } else if (parentKey !== undefined) {
        level = depthOf(parentKey, new Set([...seen, key])) + 1;
        entry.command.body.parentCompanyId = this.companies.get(parentKey)!.command.body.id;
        this.noteSpelling('company', entry.parent!, this.companyNames, 'subsidiary_of');
      }
      depth.set(key, level);

      return level;
    };
    const levels: CompanyCommand[][] = [];
    for (const [key, entry] of this.companies) {
      const level = depthOf(key, new Set([key]));
      (levels[level] ??= []).push(entry.command);
    }

    return levels.filter((level) => level !== undefined);
  }

  private noteSpelling(
    subject: Adjustment['subject'],
    raw: string,
    known: Map<string, string>,
    field: string,
  ): string | undefined {
    const match = matchName(raw, known);
    if (match?.adjustment) this.tally.add(subject, `${field} ${match.adjustment}`);

    return match?.value;
  }

  private planDeal({ line, values }: CsvRecord): DealCommand | undefined {
    const opportunityId = this.text('deal', values.opportunity_id);
    if (!opportunityId) return this.reject('pipeline', line, 'no opportunity_id');
    const earlier = this.dealLines.get(opportunityId);
    if (earlier !== undefined) {
      return this.reject('pipeline', line, `same opportunity_id as line ${earlier}`);
    }
    this.dealLines.set(opportunityId, line);
    const stageText = this.text('deal', values.deal_stage);
    const stage = MAVEN_STAGES.find((s) => matchKey(s.name) === matchKey(stageText));
    if (!stage) {
      return this.reject('pipeline', line, `deal_stage "${stageText}" is not a known stage`);
    }
    if (stage.name !== stageText)
      this.tally.add('deal', `deal_stage "${stageText}" read as "${stage.name}"`);

    const ownerId = this.dealOwner(values.sales_agent, line);
    const product = this.dealProduct(values.product);
    const account = this.dealAccount(values.account);
    const engagedAt = this.field('deal', parseDate(values.engage_date, 'engage_date'));
    const closedAt = this.field('deal', parseDate(values.close_date, 'close_date'));
    const closeValue = this.field('deal', parseNumber(values.close_value, 'close_value'));
    const title = `${product.label} ${account.label} (${opportunityId})`;
    const steps = this.dealSteps(stage.name, engagedAt, closedAt, closeValue);
    const isOpen = stage.kind === 'open';

    return {
      source: { file: MAVEN_FILES.pipeline, line },
      body: {
        id: MavenIds.deal(opportunityId),
        title,
        companyId: account.id,
        ownerId,
        productId: product.id,
        value: product.price,
        currency: CURRENCY,
        expectedCloseDate: isOpen ? closedAt?.slice(0, 10) : undefined,
        occurredAt: engagedAt ?? (isOpen ? undefined : closedAt),
      },
      openStage: 'Prospecting',
      steps,
      finalStage: stage.name,
      finalValue: stage.kind === 'won' && closeValue !== undefined ? closeValue : product.price,
    };
  }

  private dealSteps(
    stage: MavenStage,
    engagedAt: string | undefined,
    closedAt: string | undefined,
    closeValue: number | undefined,
  ): DealStep[] {
    const steps: DealStep[] = [];
    if (stage === 'Prospecting') return steps;
    if (engagedAt !== undefined || stage === 'Engaging') {
      if (engagedAt === undefined)
        this.tally.add('deal', 'engaging with no engage_date: moved at import time');
      steps.push({ kind: 'move', stage: 'Engaging', occurredAt: engagedAt });
    }
    if (stage === 'Engaging') return steps;
    if (engagedAt === undefined)
      this.tally.add('deal', 'closed with no engage_date: opened on its close date');
    if (closedAt === undefined)
      this.tally.add('deal', 'closed with no close_date: closed at import time');
    if (stage === 'Won') {
      if (closeValue === undefined)
        this.tally.add('deal', 'won with no close_value: keeps its list price');
      steps.push({ kind: 'won', value: closeValue, occurredAt: closedAt });
    } else {
      steps.push({ kind: 'lost', reason: LOST_REASON, occurredAt: closedAt });
    }

    return steps;
  }

  private dealOwner(raw: string, line: number): string | undefined {
    const text = this.text('deal', raw);
    if (!text) {
      this.tally.add('deal', 'no sales_agent: imported without an owner');

      return undefined;
    }
    const name = this.noteSpelling('deal', text, this.repNames, 'sales_agent');
    if (name !== undefined) return MavenIds.rep(name);
    this.tally.add('rep', 'sales agent not in sales_teams.csv: created from the pipeline');
    const source = { file: MAVEN_FILES.pipeline, line };
    this.reps.set(matchKey(text), { source, body: { id: MavenIds.rep(text), name: text } });
    this.repNames.set(matchKey(text), text);

    return MavenIds.rep(text);
  }

  private dealProduct(raw: string): { id?: string; price?: number; label: string } {
    const text = this.text('deal', raw);
    if (!text) {
      this.tally.add('deal', 'no product: imported without a product or value');

      return { label: 'No product' };
    }
    const name = this.noteSpelling('deal', text, this.productNames, 'product');
    if (name === undefined) {
      this.tally.add('deal', 'product not in products.csv: imported without a product or value');

      return { label: text };
    }
    const product = this.products.get(matchKey(name))!;

    return { id: product.body.id, price: product.body.listPrice ?? undefined, label: name };
  }

  private dealAccount(raw: string): { id?: string; label: string } {
    const text = this.text('deal', raw);
    if (!text) {
      this.tally.add('deal', 'no account: imported without a company');

      return { label: 'with no account' };
    }
    const name = this.noteSpelling('deal', text, this.companyNames, 'account');
    if (name === undefined) {
      this.tally.add('deal', 'account not in accounts.csv: imported without a company');

      return { label: `for ${text}` };
    }

    return { id: MavenIds.company(name), label: `for ${name}` };
  }

  private notes(deals: DealCommand[]): string[] {
    const count = (stage: MavenStage) => deals.filter((d) => d.finalStage === stage).length;
    const open = count('Prospecting') + count('Engaging');
    const notes = [
      `${open} open deals are valued at their product's list price (the data has no value)`,
      `${count('Lost')} lost deals keep their product's list price as value (close_value is 0)`,
      `${count('Lost')} lost deals have no reason in the data: recorded as "${LOST_REASON}"`,
      'revenue is given in millions of USD and stored in USD',
    ];
    const undated = deals.filter((d) => d.body.occurredAt === undefined).length;
    if (undated > 0) notes.push(`${undated} deals with no dates are opened at import time`);

    return notes;
  }
}

function expectedSummary(deals: DealCommand[]): Record<MavenStage, StageExpectation> {
  const expected = Object.fromEntries(
    MAVEN_STAGES.map((s) => [s.name, { dealCount: 0, totalValue: 0 }]),
  ) as Record<MavenStage, StageExpectation>;
  for (const deal of deals) {
    expected[deal.finalStage].dealCount += 1;
    expected[deal.finalStage].totalValue += deal.finalValue ?? 0;
  }

  return expected;
}

function rowCounts(tables: MavenTables): Record<MavenFile, number> {
  const entries = (Object.keys(MAVEN_FILES) as MavenFile[]).map((file) => {
    const table = tables[file];

    return [file, table.records.length + table.defects.length];
  });

  return Object.fromEntries(entries) as Record<MavenFile, number>;
}
