import { CompanyListQuery, CompanyView, Page } from '@relate/contracts';
import {
  escapeLike,
  flagOf,
  numberOrNull,
  pagingOf,
  selectOne,
  selectPage,
  SqlFilter,
} from '@relate/service-kit';
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

  find(tenantId: string, companyId: string): Promise<CompanyView | undefined> {
    const sql = 'SELECT * FROM contacts.companies WHERE tenant_id = $1 AND company_id = $2';

    return selectOne(this.pool, sql, [tenantId, companyId], toView);
  }

  list(tenantId: string, query: CompanyListQuery): Promise<Page<CompanyView>> {
    const filter = SqlFilter.forTenant('tenant_id', tenantId);
    if (query.search) {
      filter.bind(`%${escapeLike(query.search)}%`, (term) => `name ILIKE ${term}`);
    }
    filter.equalsIfGiven('owner_id', query.ownerId);
    if (!flagOf(query.includeArchived)) {
      filter.and('NOT archived');
    }

    return selectPage(this.pool, {
      select: 'SELECT * FROM contacts.companies',
      countFrom: 'contacts.companies',
      filter,
      orderBy: 'lower(name), company_id',
      paging: pagingOf(query),
      toView,
    });
  }
}
