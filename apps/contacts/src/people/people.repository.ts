import { Page, PersonListQuery, PersonView } from '@relate/contracts';
import {
  escapeLike,
  flagOf,
  pagingOf,
  selectOne,
  selectPage,
  SqlFilter,
} from '@relate/service-kit';
import { Pool } from 'pg';

interface PersonRow {
  person_id: string;
  first_name: string;
  last_name: string;
  email: string | null;
  phone: string | null;
  title: string | null;
  company_id: string | null;
  owner_id: string | null;
  lead_source: string | null;
  archived: boolean;
  version: number;
  created_at: Date;
  updated_at: Date;
}

function toView(row: PersonRow): PersonView {
  return {
    id: row.person_id,
    firstName: row.first_name,
    lastName: row.last_name,
    email: row.email,
    phone: row.phone,
    title: row.title,
    companyId: row.company_id,
    ownerId: row.owner_id,
    leadSource: row.lead_source,
    archived: row.archived,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Reads of the people read model; every query is scoped to one tenant. */
export class PeopleRepository {
  constructor(private readonly pool: Pool) {}

  find(tenantId: string, personId: string): Promise<PersonView | undefined> {
    const sql = 'SELECT * FROM contacts.people WHERE tenant_id = $1 AND person_id = $2';

    return selectOne(this.pool, sql, [tenantId, personId], toView);
  }

  list(tenantId: string, query: PersonListQuery): Promise<Page<PersonView>> {
    const filter = SqlFilter.forTenant('tenant_id', tenantId);
    if (query.search) {
      filter.bind(
        `%${escapeLike(query.search)}%`,
        (term) => `(first_name ILIKE ${term} OR last_name ILIKE ${term} OR email ILIKE ${term})`,
      );
    }
    filter.equalsIfGiven('owner_id', query.ownerId);
    filter.equalsIfGiven('company_id', query.companyId);
    if (!flagOf(query.includeArchived)) {
      filter.and('NOT archived');
    }

    return selectPage(this.pool, {
      select: 'SELECT * FROM contacts.people',
      countFrom: 'contacts.people',
      filter,
      orderBy: 'lower(last_name), lower(first_name), person_id',
      paging: pagingOf(query),
      toView,
    });
  }
}
