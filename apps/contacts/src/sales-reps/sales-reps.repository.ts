import { Page, SalesRepListQuery, SalesRepView } from '@relate/contracts';
import { pagingOf, selectOne, selectPage, SqlFilter } from '@relate/service-kit';
import { Pool } from 'pg';

interface SalesRepRow {
  sales_rep_id: string;
  name: string;
  manager: string | null;
  regional_office: string | null;
  email: string | null;
  version: number;
}

function toView(row: SalesRepRow): SalesRepView {
  return {
    id: row.sales_rep_id,
    name: row.name,
    manager: row.manager,
    regionalOffice: row.regional_office,
    email: row.email,
    version: row.version,
  };
}

/** Reads of the sales reps read model; every query is scoped to one tenant. */
export class SalesRepsRepository {
  constructor(private readonly pool: Pool) {}

  find(tenantId: string, salesRepId: string): Promise<SalesRepView | undefined> {
    const sql = 'SELECT * FROM contacts.sales_reps WHERE tenant_id = $1 AND sales_rep_id = $2';

    return selectOne(this.pool, sql, [tenantId, salesRepId], toView);
  }

  list(tenantId: string, query: SalesRepListQuery): Promise<Page<SalesRepView>> {
    const filter = SqlFilter.forTenant('tenant_id', tenantId).equalsIfGiven(
      'regional_office',
      query.regionalOffice,
    );

    return selectPage(this.pool, {
      select: 'SELECT * FROM contacts.sales_reps',
      countFrom: 'contacts.sales_reps',
      filter,
      orderBy: 'lower(name), sales_rep_id',
      paging: pagingOf(query),
      toView,
    });
  }
}
