import {
  cleanText,
  matchName,
  millionsToDollars,
  normaliseCountry,
  normaliseSector,
  parseDate,
  parseInteger,
  parseNumber,
} from './maven.normaliser';

describe('cleanText', () => {
  it('trims and collapses whitespace', () => {
    expect(cleanText('  GTX \t  Pro ')).toBe('GTX Pro');
  });
});

describe('normaliseSector', () => {
  it('corrects the known typo and says so', () => {
    expect(normaliseSector(' Technolgy')).toEqual({
      value: 'technology',
      adjustment: 'sector "technolgy" read as "technology"',
    });
  });

  it('keeps a correct sector without an adjustment and empty as absent', () => {
    expect(normaliseSector('retail')).toEqual({ value: 'retail' });
    expect(normaliseSector(' ')).toEqual({ value: undefined });
  });
});

describe('normaliseCountry', () => {
  it('corrects the misspelt Philippines', () => {
    expect(normaliseCountry('Philipines').value).toBe('Philippines');
    expect(normaliseCountry('Kenya')).toEqual({ value: 'Kenya' });
  });
});

describe('matchName', () => {
  const known = new Map([
    ['gtxpro', 'GTX Pro'],
    ['gtxbasic', 'GTX Basic'],
  ]);

  it('finds the canonical spelling regardless of spaces and case', () => {
    expect(matchName('GTXPro', known)).toEqual({
      value: 'GTX Pro',
      adjustment: '"GTXPro" read as "GTX Pro"',
    });
    expect(matchName(' GTX  Basic ', known)).toEqual({ value: 'GTX Basic' });
  });

  it('answers undefined for an unknown name', () => {
    expect(matchName('GTX Ultra', known)).toBeUndefined();
  });
});

describe('parseDate', () => {
  it('reads a calendar date as midnight UTC and empty as no date', () => {
    expect(parseDate('2017-03-01', 'close_date')).toEqual({
      ok: true,
      value: '2017-03-01T00:00:00.000Z',
    });
    expect(parseDate('', 'close_date')).toEqual({ ok: true, value: undefined });
  });

  it('rejects impossible and foreign formats', () => {
    expect(parseDate('2017-02-30', 'close_date').ok).toBe(false);
    expect(parseDate('03/01/2017', 'close_date')).toEqual({
      ok: false,
      reason: 'close_date "03/01/2017" is not a date (YYYY-MM-DD)',
    });
  });
});

describe('parseNumber', () => {
  it('reads decimals and rejects thousands separators', () => {
    expect(parseNumber('1100.04', 'revenue')).toEqual({ ok: true, value: 1100.04 });
    expect(parseNumber('1,054', 'close_value').ok).toBe(false);
  });

  it('requires whole numbers where asked', () => {
    expect(parseInteger('2822', 'employees')).toEqual({ ok: true, value: 2822 });
    expect(parseInteger('28.5', 'employees').ok).toBe(false);
  });
});

describe('millionsToDollars', () => {
  it('converts without floating point residue', () => {
    expect(millionsToDollars(1100.04)).toBe(1_100_040_000);
  });
});
