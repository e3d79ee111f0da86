import { Page } from '@relate/contracts';
import { Pool, QueryResultRow } from 'pg';

import { Paging } from './paging';

/**
 * A WHERE clause of a read-model query, built condition by condition; every value is bound as
 * the next `$n` parameter. Column names come from the repository's own code, never from input.
 */
export class SqlFilter {
  private readonly conditions: string[] = [];

  readonly values: unknown[] = [];

  /** Every read is scoped to one tenant: the filter starts there. */
  static forTenant(column: string, tenantId: string): SqlFilter {
    return new SqlFilter().bind(tenantId, (parameter) => `${column} = ${parameter}`);
  }

  /** Adds a condition on a value, e.g. `(p) => \`name ILIKE ${p}\``. */
  bind(value: unknown, condition: (parameter: string) => string): this {
    this.values.push(value);
    this.conditions.push(condition(`$${this.values.length}`));

    return this;
  }

  /** `column = value`, when the query gives a value (an empty one counts as none). */
  equalsIfGiven(column: string, value: unknown): this {
    return value ? this.bind(value, (parameter) => `${column} = ${parameter}`) : this;
  }

  /** Adds a condition without a value. */
  and(condition: string): this {
    this.conditions.push(condition);

    return this;
  }

  get sql(): string {
    return this.conditions.join(' AND ');
  }
}

export interface PageSelect<TRow, TView> {
  /** The rows' query up to its WHERE: `SELECT * FROM contacts.companies`, or a join. */
  select: string;
  /** What the total counts, with the alias the filter uses: `pipeline.deals d`. */
  countFrom: string;
  filter: SqlFilter;
  orderBy: string;
  paging: Paging;
  toView(row: TRow): TView;
}

/** One page of a read model and the total of its filter, queried side by side. */
export async function selectPage<TRow extends QueryResultRow, TView>(
  pool: Pool,
  query: PageSelect<TRow, TView>,
): Promise<Page<TView>> {
  const { filter, paging } = query;
  const { page, limit, offset } = paging;
  const [items, count] = await Promise.all([
    pool.query<TRow>(
      `${query.select} WHERE ${filter.sql}
       ORDER BY ${query.orderBy} LIMIT ${limit} OFFSET ${offset}`,
      filter.values,
    ),
    pool.query<{ total: string }>(
      `SELECT count(*) AS total FROM ${query.countFrom} WHERE ${filter.sql}`,
      filter.values,
    ),
  ]);

  return {
    items: items.rows.map((row) => query.toView(row)),
    page,
    limit,
    total: Number(count.rows[0].total),
  };
}

/** The first row of a query as a view, or undefined when there is none. */
export async function selectOne<TRow extends QueryResultRow, TView>(
  pool: Pool,
  sql: string,
  values: unknown[],
  toView: (row: TRow) => TView,
): Promise<TView | undefined> {
  const { rows } = await pool.query<TRow>(sql, values);

  return rows.length === 0 ? undefined : toView(rows[0]);
}
