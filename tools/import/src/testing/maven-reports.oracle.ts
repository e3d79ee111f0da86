/**
 * The reports computed a second way, straight from the Maven CSV files, to check the reporting
 * service against. Written apart from the reporting code and from the import planner on
 * purpose: it shares no function with either, only the documented definitions (see
 * libs/contracts/src/reporting.api.ts and apps/reporting/src/reports/report.calculations.ts).
 *
 * It applies the import's documented clean-up where it changes a group or a number:
 * - names are trimmed with inner whitespace collapsed, and a deal's sales agent, product and
 *   account are found by a key that ignores case, spaces and punctuation ("GTXPro" is
 *   "GTX Pro"); the group takes the spelling of sales_teams.csv / products.csv;
 * - sectors are lower case, "technolgy" read as "technology";
 * - a row whose deal_stage is not one of the four stages, a repeated opportunity_id (the first
 *   row wins) and a row with the wrong number of fields are not imported;
 * - a sales agent missing from sales_teams.csv is a rep with no manager and no office;
 * - a won deal's value is its close_value; every other deal keeps its product's list price;
 * - a deal opens at its engage_date (else at its close_date if closed); a deal with neither
 *   (Prospecting) opens at import time, so it is only in a stage-conversion cohort that has no
 *   date range; it enters Engaging at engage_date and Won/Lost at close_date.
 * The data set has no lead source and no expected close date: every deal's lead source is
 * none, and the open deals' expected close month is none.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface OracleDeal {
  id: string;
  stage: 'Prospecting' | 'Engaging' | 'Won' | 'Lost';
  rep: string | null;
  manager: string | null;
  office: string | null;
  product: string | null;
  sector: string | null;
  valueCents: number | null;
  engageDate: string | null;
  closeDate: string | null;
}

type Grouping = 'rep' | 'manager' | 'office' | 'product' | 'sector' | 'source' | 'month';

const NO_VALUE: Record<Grouping, string> = {
  rep: '(no owner)',
  manager: '(no manager)',
  office: '(no office)',
  product: '(no product)',
  sector: '(no sector)',
  source: '(no lead source)',
  month: '(no date)',
};

/** RFC 4180 records of a small file: quoted fields, doubled quotes, CRLF or LF. */
export function readCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || record.length > 0) records.push([...record, field]);

  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

function table(folder: string, file: string): Array<Record<string, string>> {
  const [header, ...rows] = readCsv(readFileSync(join(folder, file), 'utf8'));

  return rows
    .filter((row) => row.length === header.length)
    .map((row) => Object.fromEntries(header.map((name, i) => [name.trim(), row[i]])));
}

const tidy = (text: string | undefined): string => (text ?? '').trim().split(/\s+/).join(' ');
const keyOf = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]/g, '');
const STAGES = ['Prospecting', 'Engaging', 'Won', 'Lost'] as const;

/** The imported deals, as the CSV files describe them. */
export function readMavenDeals(folder: string): OracleDeal[] {
  const teams = new Map<string, { name: string; manager: string | null; office: string | null }>();
  for (const row of table(folder, 'sales_teams.csv')) {
    const name = tidy(row.sales_agent);
    if (name && !teams.has(keyOf(name))) {
      const manager = tidy(row.manager) || null;
      teams.set(keyOf(name), { name, manager, office: tidy(row.regional_office) || null });
    }
  }
  const products = new Map<string, { name: string; cents: number | null }>();
  for (const row of table(folder, 'products.csv')) {
    const name = tidy(row.product);
    const price = tidy(row.sales_price);
    const cents = price === '' ? null : Math.round(Number(price) * 100);
    if (name && !products.has(keyOf(name))) products.set(keyOf(name), { name, cents });
  }
  const sectors = new Map<string, string | null>();
  for (const row of table(folder, 'accounts.csv')) {
    const name = tidy(row.account);
    const sector = tidy(row.sector).toLowerCase();
    if (name && !sectors.has(keyOf(name))) {
      sectors.set(keyOf(name), sector === 'technolgy' ? 'technology' : sector || null);
    }
  }
  const deals = new Map<string, OracleDeal>();
  for (const row of table(folder, 'sales_pipeline.csv')) {
    const id = tidy(row.opportunity_id);
    const stage = STAGES.find((s) => keyOf(s) === keyOf(tidy(row.deal_stage)));
    if (!id || deals.has(id) || stage === undefined) continue;
    const agent = tidy(row.sales_agent);
    const team = teams.get(keyOf(agent));
    const product = products.get(keyOf(tidy(row.product)));
    const account = tidy(row.account);
    const closeValue = tidy(row.close_value);
    deals.set(id, {
      id,
      stage,
      rep: team?.name ?? (agent || null),
      manager: team?.manager ?? null,
      office: team?.office ?? null,
      product: product?.name ?? null,
      sector: account ? (sectors.get(keyOf(account)) ?? null) : null,
      valueCents:
        stage === 'Won' && closeValue !== ''
          ? Math.round(Number(closeValue) * 100)
          : (product?.cents ?? null),
      engageDate: tidy(row.engage_date) || null,
      closeDate: tidy(row.close_date) || null,
    });
  }

  return [...deals.values()];
}

export interface OracleRange {
  from?: string;
  to?: string;
  groupBy?: Grouping;
}

const within = (day: string | null, r: OracleRange): boolean =>
  day !== null && (r.from === undefined || day >= r.from) && (r.to === undefined || day <= r.to);

function label(deal: OracleDeal, groupBy: Grouping | undefined, day: string | null): string {
  if (groupBy === undefined) return 'All deals';
  const value = {
    rep: deal.rep,
    manager: deal.manager,
    office: deal.office,
    product: deal.product,
    sector: deal.sector,
    source: null,
    month: day?.slice(0, 7) ?? null,
  }[groupBy];

  return value ?? NO_VALUE[groupBy];
}

function byGroup(deals: OracleDeal[], r: OracleRange, day: (d: OracleDeal) => string | null) {
  const groups = new Map<string, OracleDeal[]>();
  for (const deal of deals) {
    const name = label(deal, r.groupBy, day(deal));
    groups.set(name, [...(groups.get(name) ?? []), deal]);
  }

  return [...groups.entries()];
}

const cents2 = (cents: number): number => Math.round(cents) / 100;
const closed = (d: OracleDeal) => d.stage === 'Won' || d.stage === 'Lost';

export function oracleWinRate(deals: OracleDeal[], r: OracleRange) {
  const inRange = deals.filter((d) => closed(d) && within(d.closeDate, r));

  return byGroup(inRange, r, (d) => d.closeDate).map(([group, list]) => {
    const won = list.filter((d) => d.stage === 'Won').length;

    return {
      group,
      won,
      lost: list.length - won,
      closed: list.length,
      winRate: Math.round((won / list.length) * 10_000) / 10_000,
    };
  });
}

export function oracleRevenue(deals: OracleDeal[], r: OracleRange) {
  const won = deals.filter((d) => d.stage === 'Won' && within(d.closeDate, r));

  return byGroup(won, r, (d) => d.closeDate).map(([group, list]) => {
    let total = 0;
    for (const deal of list) total += deal.valueCents ?? 0;

    return {
      group,
      wonDeals: list.length,
      revenue: cents2(total),
      averageDealSize: cents2(total / list.length),
    };
  });
}

/** Sorted ascending; rank (n - 1) p, interpolated between its neighbours. */
function quantile(sorted: number[], p: number): number {
  const rank = (sorted.length - 1) * p;
  const low = sorted[Math.floor(rank)];
  const high = sorted[Math.ceil(rank)];

  return low + (high - low) * (rank - Math.floor(rank));
}

const days2 = (days: number): number => Math.round(days * 100) / 100;

export function oracleSalesCycle(deals: OracleDeal[], r: OracleRange, outcome: 'Won' | 'Lost') {
  const list = deals.filter((d) => d.stage === outcome && within(d.closeDate, r));

  return byGroup(list, r, (d) => d.closeDate).map(([group, members]) => {
    // Every closed deal of the data has an engage_date: the cycle starts there.
    const days = members
      .map((d) => (Date.parse(d.closeDate!) - Date.parse(d.engageDate ?? d.closeDate!)) / 864e5)
      .sort((a, b) => a - b);

    return {
      group,
      deals: days.length,
      meanDays: days2(days.reduce((a, b) => a + b, 0) / days.length),
      medianDays: days2(quantile(days, 0.5)),
      p75Days: days2(quantile(days, 0.75)),
      p90Days: days2(quantile(days, 0.9)),
    };
  });
}

/** Opening day; null for a deal opened at import time (no engage or close date). */
const openedOn = (d: OracleDeal): string | null => d.engageDate ?? (closed(d) ? d.closeDate : null);

export function oracleStageConversion(deals: OracleDeal[], r: OracleRange) {
  const bounded = r.from !== undefined || r.to !== undefined;
  const cohort = deals.filter((d) => (bounded ? within(openedOn(d), r) : true));

  return byGroup(cohort, r, openedOn).flatMap(([group, list]) => {
    const engaged = list.filter(
      (d) => d.stage !== 'Prospecting' && (d.engageDate || d.stage === 'Engaging'),
    );
    const won = list.filter((d) => d.stage === 'Won');
    const lost = list.filter((d) => d.stage === 'Lost');
    const wonAfterEngaging = won.filter((d) => engaged.includes(d));
    const rate = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000);
    // Prospecting advances to Engaging or straight to Won; Lost is never an advance.
    const prospectingAdvanced = list.filter((d) => engaged.includes(d) || d.stage === 'Won');

    return [
      ['Prospecting', list.length, prospectingAdvanced.length],
      ['Engaging', engaged.length, wonAfterEngaging.length],
      ['Won', won.length, null],
      ['Lost', lost.length, null],
    ].map(([stage, entered, advanced]) => ({
      group,
      stage,
      entered,
      advanced,
      conversionRate: advanced === null ? null : rate(advanced as number, entered as number),
    }));
  });
}

/** No range only: the data has no expected close dates, so every open deal is in month none. */
export function oracleForecast(deals: OracleDeal[], r: OracleRange) {
  const open = deals.filter((d) => !closed(d));

  return byGroup(open, r, () => null).map(([group, list]) => {
    const total = list.reduce((sum, d) => sum + (d.valueCents ?? 0), 0);

    return {
      group,
      expectedCloseMonth: null,
      openDeals: list.length,
      openValue: cents2(total),
      weightedValue: 0,
      unweightedDeals: list.length,
      unweightedValue: cents2(total),
    };
  });
}

export function oracleLeadSources(deals: OracleDeal[], r: OracleRange) {
  return oracleRevenue(deals, { from: r.from, to: r.to, groupBy: 'source' }).map((row, i) => ({
    rank: i + 1,
    ...row,
  }));
}
