import { CompanyListQuery, CompanyView, Page } from '@relate/contracts';
import { escapeLike, flagOf, numberOrNull, pagingOf } from '@relate/service-kit';
import { Pool } from 'pg';

interface CompanyRow {
  company_id: string;
  name: string;
  sector: string | null;
  year_established: number | null;
  revenue: string | null;
  employees: number | null;
  office_location: string | null;
  parent_company_id: string | null;
  website: string | null;
  owner_id: string | null;
  lead_source: string | null;
  archived: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function toView(row: CompanyRow): CompanyView {
  return {
    id: row.company_id,
    name: row.name,
    sector: row.sector,
    yearEstablished: row.year_established,
    revenue: numberOrNull(row.revenue),
    employees: row.employees,
    officeLocation: row.office_location,
    parentCompanyId: row.parent_company_id,
    ownerId: row.owner_id,
    leadSource: row.lead_source,
    website: row.website,
    archived: row.archived,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Reads of the companies read model; every query is scoped to one tenant. */
export class CompaniesRepository {
  constructor(private readonly pool: Pool) {}

  async find(tenantId: string, companyId: string): Promise<CompanyView | undefined> {
    const { rows } = await this.pool.query<CompanyRow>(
      'SELECT * FROM contacts.companies WHERE tenant_id = $1 AND company_id = $2',
      [tenantId, companyId],
    );

    return rows[0] && toView(rows[0]);
  }

  async list(tenantId: string, query: CompanyListQuery): Promise<Page<CompanyView>> {
    const { page, limit, offset } = pagingOf(query);
    const filters = ['tenant_id = $1'];
    const values: unknown[] = [tenantId];
    if (query.search) {
      values.push(`%${escapeLike(query.search)}%`);
      filters.push(`name ILIKE $${values.length}`);
    }
    if (query.ownerId) {
      values.push(query.ownerId);
      filters.push(`owner_id = $${values.length}`);
    }
    if (!flagOf(query.includeArchived)) {
      filters.push('NOT archived');
    }
    const where = filters.join(' AND ');
    const [items, count] = await Promise.all([
      this.pool.query<CompanyRow>(
        `SELECT * FROM contacts.companies WHERE ${where}
         ORDER BY lower(name), company_id LIMIT ${limit} OFFSET ${offset}`,
        values,
      ),
      this.pool.query<{ total: string }>(
        `SELECT count(*) AS total FROM contacts.companies WHERE ${where}`,
        values,
      ),
    ]);

    return { items: items.rows.map(toView), page, limit, total: Number(count.rows[0].total) };
  }
}
