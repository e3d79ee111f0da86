import { Pool } from 'pg';

/** One table's rows, each as the md5 of its text form, counted. */
export interface TableRows {
  table: string;
  rows: number;
  /** md5 of the sorted row hashes: equal tables give equal sums, whatever the physical order. */
  md5: string;
  hashes: Map<string, number>;
}

/** The rows of each table, for comparing two copies of the same read models. */
export async function tableRows(pool: Pool, tables: readonly string[]): Promise<TableRows[]> {
  const result: TableRows[] = [];
  for (const table of [...tables].sort()) {
    const { rows } = await pool.query<{ hash: string }>(
      `SELECT md5(t::text) AS hash FROM ${table} t ORDER BY 1`,
    );
    const hashes = new Map<string, number>();
    for (const { hash } of rows) {
      hashes.set(hash, (hashes.get(hash) ?? 0) + 1);
    }
    const { rows: sum } = await pool.query<{ md5: string }>(
      `SELECT md5(coalesce(string_agg(h, E'\\n' ORDER BY h), '')) AS md5
       FROM (SELECT md5(t::text) AS h FROM ${table} t) s`,
    );
    result.push({ table, rows: rows.length, md5: sum[0].md5, hashes });
  }

  return result;
}

/** Per table, the rows of either side without an identical row on the other (the larger). */
export function rowsDiffering(
  left: readonly TableRows[],
  right: readonly TableRows[],
): Array<{ table: string; differing: number }> {
  const tables = new Set([...left, ...right].map(({ table }) => table));

  return [...tables].sort().map((table) => {
    const a = left.find((entry) => entry.table === table)?.hashes ?? new Map<string, number>();
    const b = right.find((entry) => entry.table === table)?.hashes ?? new Map<string, number>();

    return { table, differing: Math.max(onlyIn(a, b), onlyIn(b, a)) };
  });
}

function onlyIn(a: Map<string, number>, b: Map<string, number>): number {
  let count = 0;
  for (const [hash, times] of a) {
    count += Math.max(0, times - (b.get(hash) ?? 0));
  }

  return count;
}
