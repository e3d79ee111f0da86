import { join } from 'node:path';

import { readCsvTable } from './csv.parser';
import { MavenIds } from './import.ids';
import { ImportPlan } from './import.plan';
import { LOST_REASON, MissingColumnsError, planImport } from './import.planner';
import { readMavenTables } from './maven.files';

const FIXTURE = join(__dirname, '..', 'fixtures', 'maven-crm-small');

function dealOf(plan: ImportPlan, opportunityId: string) {
  return plan.deals.find((deal) => deal.body.id === MavenIds.deal(opportunityId))!;
}

function adjustmentCount(plan: ImportPlan, description: string): number {
  return plan.adjustments.find((a) => a.description === description)?.count ?? 0;
}

describe('planImport', () => {
  let plan: ImportPlan;

  beforeAll(async () => {
    plan = planImport(await readMavenTables(FIXTURE));
  });

  it('expects each deal in the stage the data gives it, and the won total', () => {
    expect(plan.expected).toEqual({
      Prospecting: { dealCount: 2, totalValue: 4821 + 55 },
      Engaging: { dealCount: 3, totalValue: 4821 + 26768 },
      Won: { dealCount: 4, totalValue: 588 + 4514 + 600 + 60 },
      Lost: { dealCount: 2, totalValue: 55 + 550 },
    });
  });

  it('reports every row it cannot import with its file, line and reason', () => {
    expect(plan.problems).toEqual([
      { file: 'accounts.csv', line: 10, reason: 'has 3 fields, the header has 7' },
      { file: 'sales_pipeline.csv', line: 11, reason: 'deal_stage "Closed" is not a known stage' },
      { file: 'sales_pipeline.csv', line: 13, reason: 'same opportunity_id as line 3' },
    ]);
    expect(plan.rowCounts).toEqual({ accounts: 9, products: 4, teams: 3, pipeline: 13 });
  });

  it('registers parents in an earlier level than their subsidiaries', () => {
    const levels = plan.companyLevels.map((level) => level.map((c) => c.body.name).sort());
    const cheers = plan.companyLevels[1].find((c) => c.body.name === 'Cheers')!;

    expect(levels[1]).toEqual(['Bluth Company', 'Cheers']);
    expect(levels[0]).toContain('Massive Dynamic');
    expect(cheers.body.parentCompanyId).toBe(MavenIds.company('Massive Dynamic'));
  });

  it('normalises sectors, countries, whitespace and revenue units', () => {
    const companies = plan.companyLevels.flat();
    const acme = companies.find((c) => c.body.name === 'Acme Corporation')!;
    const genco = companies.find((c) => c.body.name.startsWith('Genco'))!;
    const bioholding = companies.find((c) => c.body.name === 'Bioholding')!;

    expect(acme.body).toMatchObject({ sector: 'technology', revenue: 1_100_040_000 });
    expect(genco.body).toMatchObject({ name: 'Genco Pura Olive Oil Company, Inc.' });
    expect(genco.body.sector).toBe('retail');
    expect(bioholding.body.officeLocation).toBe('Philippines');
    expect(adjustmentCount(plan, 'sector "technolgy" read as "technology"')).toBe(2);
  });

  it('reads both product spellings as one product and counts the adjustment', () => {
    expect(dealOf(plan, 'FX0002BB').body.productId).toBe(MavenIds.product('GTX Pro'));
    expect(dealOf(plan, 'FX0005EE').body.productId).toBe(MavenIds.product('GTX Pro'));
    expect(adjustmentCount(plan, 'product "GTXPro" read as "GTX Pro"')).toBe(2);
    expect(plan.products.map((p) => p.body.name)).toHaveLength(4);
  });

  it('plans a won deal as opened and engaged on engage_date, then won on close_date', () => {
    const deal = dealOf(plan, 'FX0001AA');

    expect(deal.body).toMatchObject({
      title: 'GTX Basic for Acme Corporation (FX0001AA)',
      value: 550,
      occurredAt: '2016-10-20T00:00:00.000Z',
      ownerId: MavenIds.rep('Moses Frase'),
      companyId: MavenIds.company('Acme Corporation'),
    });
    expect(deal.steps).toEqual([
      { kind: 'move', stage: 'Engaging', occurredAt: '2016-10-20T00:00:00.000Z' },
      { kind: 'won', value: 588, occurredAt: '2017-03-01T00:00:00.000Z' },
    ]);
  });

  it('plans a lost deal with the import reason on its close date', () => {
    expect(dealOf(plan, 'FX0003CC').steps[1]).toEqual({
      kind: 'lost',
      reason: LOST_REASON,
      occurredAt: '2017-01-15T00:00:00.000Z',
    });
  });

  it('imports a deal with no account and no dates as it is, opened at import time', () => {
    const deal = dealOf(plan, 'FX0005EE');

    expect(deal.body.companyId).toBeUndefined();
    expect(deal.body.occurredAt).toBeUndefined();
    expect(deal.steps).toEqual([]);
    expect(adjustmentCount(plan, 'no account: imported without a company')).toBe(2);
  });

  it('matches an account in other case and a product with extra spaces', () => {
    const deal = dealOf(plan, 'FX0008HH');

    expect(deal.body.companyId).toBe(MavenIds.company('dambase'));
    expect(deal.body.productId).toBe(MavenIds.product('GTX Basic'));
    expect(adjustmentCount(plan, 'account "DAMBASE" read as "dambase"')).toBe(1);
  });

  it('keeps a deal of an unknown product, without product or value', () => {
    const deal = dealOf(plan, 'FX0011KK');

    expect(deal.body).toMatchObject({ title: 'Quantum Widget for Acme Corporation (FX0011KK)' });
    expect(deal.body.productId).toBeUndefined();
    expect(deal.body.value).toBeUndefined();
  });

  it('creates a rep for a sales agent missing from the sales teams', () => {
    const rep = plan.reps.find((r) => r.body.name === 'Boris Faz')!;

    expect(rep.body.id).toBe(MavenIds.rep('Boris Faz'));
    expect(dealOf(plan, 'FX0012LL').body.ownerId).toBe(rep.body.id);
    expect(plan.reps).toHaveLength(4);
  });

  it('gives the same ids for the same files, so a rerun addresses the same records', async () => {
    const again = planImport(await readMavenTables(FIXTURE));

    expect(again.deals.map((d) => d.body.id)).toEqual(plan.deals.map((d) => d.body.id));
    expect(new Set(plan.deals.map((d) => d.body.id)).size).toBe(plan.deals.length);
  });

  it('refuses files that lack a needed column', async () => {
    const tables = await readMavenTables(FIXTURE);
    const products = readCsvTable('product,series\nGTX Basic,GTX\n');

    expect(() => planImport({ ...tables, products })).toThrow(
      new MissingColumnsError('products.csv', ['sales_price']),
    );
  });
});
