import { Page, SalesRepListQuery, SalesRepView } from '@relate/contracts';
import { pagingOf } from '@relate/service-kit';
import { Pool } from 'pg';

interface SalesRepRow {
  sales_rep_id: string;
  name: string;
  manager: string | null;
  regional_office: string | null;
  version: number;
}

function toView(row: SalesRepRow): SalesRepView {
  return {
    id: row.sales_rep_id,
    name: row.name,
    manager: row.manager,
    regionalOffice: row.regional_office,
    version: row.version,
  };
}

/** Reads of the sales reps read model; every query is scoped to one tenant. */
export class SalesRepsRepository {
  constructor(private readonly pool: Pool) {}

  async find(tenantId: string, salesRepId: string): Promise<SalesRepView | undefined> {
    const { rows } = await this.pool.query<SalesRepRow>(
      'SELECT * FROM contacts.sales_reps WHERE tenant_id = $1 AND sales_rep_id = $2',
      [tenantId, salesRepId],
    );

    return rows[0] && toView(rows[0]);
  }

  async list(tenantId: string, query: SalesRepListQuery): Promise<Page<SalesRepView>> {
    const { page, limit, offset } = pagingOf(query);
    const values: unknown[] = [tenantId];
    let where = 'tenant_id = $1';
    if (query.regionalOffice) {
      values.push(query.regionalOffice);
      where += ' AND regional_office = $2';
    }
    const [items, count] = await Promise.all([
      this.pool.query<SalesRepRow>(
        `SELECT * FROM contacts.sales_reps WHERE ${where}
         ORDER BY lower(name), sales_rep_id LIMIT ${limit} OFFSET ${offset}`,
        values,
      ),
      this.pool.query<{ total: string }>(
        `SELECT count(*) AS total FROM contacts.sales_reps WHERE ${where}`,
        values,
      ),
    ]);

    return { items: items.rows.map(toView), page, limit, total: Number(count.rows[0].total) };
  }
}
