import { parseCsvRows, readCsvTable } from './csv.parser';

describe('parseCsvRows', () => {
  it('splits plain fields on commas and records on LF or CRLF', () => {
    const rows = parseCsvRows('a,b\r\n1,2\n3,\n');

    expect(rows).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', ''] },
    ]);
  });

  it('keeps commas, doubled quotes and line breaks inside quoted fields', () => {
    const rows = parseCsvRows('name,note\n"Gekko, Co","say ""hi""\nthen go"\nlast,x');

    expect(rows).toEqual([
      { line: 1, fields: ['name', 'note'] },
      { line: 2, fields: ['Gekko, Co', 'say "hi"\nthen go'] },
      { line: 4, fields: ['last', 'x'] },
    ]);
  });

  it('drops a byte order mark and reads a last record without a line end', () => {
    expect(parseCsvRows('\ufeffa,b\n1,2')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
    ]);
  });

  it('keeps a quote inside an unquoted field as text', () => {
    expect(parseCsvRows('5" disk,x')[0].fields).toEqual(['5" disk', 'x']);
  });

  it('rejects a quoted field that is never closed', () => {
    expect(() => parseCsvRows('a\n"open')).toThrow('line 2 is never closed');
  });
});

describe('readCsvTable', () => {
  it('names each value by its column and reports rows of the wrong width', () => {
    const table = readCsvTable('id, name\n1,Ann\n\n2\n3,Bo,extra\n4,Cy\n');

    expect(table.header).toEqual(['id', 'name']);
    expect(table.records).toEqual([
      { line: 2, values: { id: '1', name: 'Ann' } },
      { line: 6, values: { id: '4', name: 'Cy' } },
    ]);
    expect(table.defects).toEqual([
      { line: 4, reason: 'has 1 fields, the header has 2' },
      { line: 5, reason: 'has 3 fields, the header has 2' },
    ]);
  });
});
