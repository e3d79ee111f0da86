import { Page, PersonListQuery, PersonView } from '@relate/contracts';
import { escapeLike, flagOf, pagingOf } from '@relate/service-kit';
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

  async find(tenantId: string, personId: string): Promise<PersonView | undefined> {
    const { rows } = await this.pool.query<PersonRow>(
      'SELECT * FROM contacts.people WHERE tenant_id = $1 AND person_id = $2',
      [tenantId, personId],
    );

    return rows[0] && toView(rows[0]);
  }

  async list(tenantId: string, query: PersonListQuery): Promise<Page<PersonView>> {
    const { page, limit, offset } = pagingOf(query);
    const filters = ['tenant_id = $1'];
    const values: unknown[] = [tenantId];
    if (query.search) {
      values.push(`%${escapeLike(query.search)}%`);
      const term = `$${values.length}`;
      filters.push(`(first_name ILIKE ${term} OR last_name ILIKE ${term} OR email ILIKE ${term})`);
    }
    for (const [value, column] of [
      [query.ownerId, 'owner_id'],
      [query.companyId, 'company_id'],
    ] as const) {
      if (value) {
        values.push(value);
        filters.push(`${column} = $${values.length}`);
      }
    }
    if (!flagOf(query.includeArchived)) {
      filters.push('NOT archived');
    }
    const where = filters.join(' AND ');
    const [items, count] = await Promise.all([
      this.pool.query<PersonRow>(
        `SELECT * FROM contacts.people WHERE ${where}
         ORDER BY lower(last_name), lower(first_name), person_id LIMIT ${limit} OFFSET ${offset}`,
        values,
      ),
      this.pool.query<{ total: string }>(
        `SELECT count(*) AS total FROM contacts.people WHERE ${where}`,
        values,
      ),
    ]);

    return { items: items.rows.map(toView), page, limit, total: Number(count.rows[0].total) };
  }
}
