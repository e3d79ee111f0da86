import { TableRows, rowsDiffering } from './table-checksums';

function table(name: string, hashes: string[]): TableRows {
  const counted = new Map<string, number>();
  hashes.forEach((hash) => counted.set(hash, (counted.get(hash) ?? 0) + 1));

  return { table: name, rows: hashes.length, md5: hashes.join(), hashes: counted };
}

describe(rowsDiffering.name, () => {
  it('finds no difference between equal tables in any order', () => {
    expect(rowsDiffering([table('t', ['a', 'b'])], [table('t', ['b', 'a'])])).toEqual([
      { table: 't', differing: 0 },
    ]);
  });

  it('counts a changed row, a doubled row and a missing table', () => {
    const left = [table('t', ['a', 'b', 'c']), table('u', ['x'])];
    const right = [table('t', ['a', 'b', 'b', 'd'])];

    expect(rowsDiffering(left, right)).toEqual([
      { table: 't', differing: 2 },
      { table: 'u', differing: 1 },
    ]);
  });
});
