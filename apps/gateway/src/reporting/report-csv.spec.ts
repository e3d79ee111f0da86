import { Report } from '@relate/contracts';

import { csvField, reportFilename, reportToCsv } from './report-csv';

const report = (overrides: Partial<Report<object>> = {}): Report<object> => ({
  report: 'revenue',
  from: '2017-01-01',
  to: '2017-12-31',
  groupBy: 'rep',
  currency: 'USD',
  columns: ['group', 'revenue', 'averageDealSize'],
  rows: [],
  ...overrides,
});

describe('report CSV', () => {
  describe(csvField.name, () => {
    it('quotes fields with commas, quotes and line breaks, doubling quotes (RFC 4180)', () => {
      expect(csvField('plain')).toBe('plain');
      expect(csvField('Smith, Ann')).toBe('"Smith, Ann"');
      expect(csvField('Ann "The Closer"')).toBe('"Ann ""The Closer"""');
      expect(csvField('two\nlines')).toBe('"two\nlines"');
      expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    });

    it('writes numbers as numbers, null as an empty field', () => {
      expect(csvField(-1234.5)).toBe('-1234.5');
      expect(csvField(0)).toBe('0');
      expect(csvField(null)).toBe('');
    });

    it('defuses text that a spreadsheet would run as a formula', () => {
      expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
      expect(csvField('+1')).toBe("'+1");
      expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
      // Rep, product and deal names are free text: blanks or a full-width sign before it.
      expect(csvField(' =1+1')).toBe("' =1+1");
      expect(csvField('\u3000=1+1')).toBe("'\u3000=1+1");
      expect(csvField('\uFF1DHYPERLINK(1)')).toBe("'\uFF1DHYPERLINK(1)");
      expect(csvField('\uFF20SUM(A1)')).toBe("'\uFF20SUM(A1)");
      expect(csvField('Smith = Ann')).toBe('Smith = Ann');
    });
  });

  it('writes a header row of the columns, then one CRLF line per row in column order', () => {
    const csv = reportToCsv(
      report({
        rows: [
          { revenue: 1200.5, group: 'Smith, Ann', averageDealSize: 600.25 },
          { group: '(no owner)', revenue: 0, averageDealSize: null },
        ],
      }),
    );

    expect(csv).toBe(
      'group,revenue,averageDealSize\r\n"Smith, Ann",1200.5,600.25\r\n(no owner),0,\r\n',
    );
  });

  it('names the file after the report and its range or month', () => {
    expect(reportFilename(report())).toBe('revenue-2017-01-01-2017-12-31.csv');
    expect(reportFilename(report({ from: null, to: null }))).toBe('revenue.csv');
    expect(reportFilename(report({ report: 'closing-this-month', month: '2017-03' }))).toBe(
      'closing-this-month-2017-03.csv',
    );
  });
});
