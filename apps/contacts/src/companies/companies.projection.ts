import { CompanyProfile, ContactsEventEnvelope, isContactsEnvelope } from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';
import { rowUpdate, SqlProjection, toColumns } from '@relate/service-kit';
import { PoolClient } from 'pg';

const TABLE = 'contacts.companies';

const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS contacts;
  CREATE TABLE IF NOT EXISTS contacts.companies (
    tenant_id text NOT NULL,
    company_id text NOT NULL,
    name text NOT NULL,
    sector text,
    year_established integer,
    revenue numeric(20, 2),
    employees integer,
    office_location text,
    parent_company_id text,
    website text,
    owner_id text,
    lead_source text,
    archived boolean NOT NULL DEFAULT false,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, company_id)
  );
  CREATE INDEX IF NOT EXISTS companies_by_name ON contacts.companies (tenant_id, lower(name));
  CREATE INDEX IF NOT EXISTS companies_by_owner ON contacts.companies (tenant_id, owner_id);
`;

const PROFILE_COLUMNS: Record<keyof CompanyProfile, string> = {
  sector: 'sector',
  yearEstablished: 'year_established',
  revenue: 'revenue',
  employees: 'employees',
  officeLocation: 'office_location',
  parentCompanyId: 'parent_company_id',
  website: 'website',
  leadSource: 'lead_source',
};

type CompanyEnvelope = Extract<ContactsEventEnvelope, { data: { companyId: string } }>;

/** The companies list and detail read model, fed from the contacts topic. */
export class CompaniesProjection extends SqlProjection<ContactsEventEnvelope> {
  readonly name = 'contacts-companies';
  readonly tables = ['contacts.companies'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isContactsEnvelope;

  protected async project(event: ContactsEventEnvelope, client: PoolClient): Promise<void> {
    const update = rowUpdate(client, TABLE, keyOf(event as CompanyEnvelope), event);
    switch (event.type) {
      case 'CompanyRegistered':
        return register(event, client);
      case 'CompanyRenamed':
        return update({ name: event.data.name });
      case 'CompanyDetailsChanged':
        return update(toColumns(event.data.changes, PROFILE_COLUMNS));
      case 'CompanyOwnerAssigned':
        return update({ owner_id: event.data.ownerId });
      case 'CompanyArchived':
        return update({ archived: true });
      case 'CompanyUnarchived':
        return update({ archived: false });
      case 'PersonRegistered':
      case 'PersonDetailsChanged':
      case 'PersonLinkedToCompany':
      case 'PersonUnlinkedFromCompany':
      case 'PersonOwnerAssigned':
      case 'PersonLeadSourceRecorded':
      case 'PersonArchived':
      case 'SalesRepRegistered':
      case 'SalesRepDetailsChanged':
        return;
      default:
        return assertUnreachable(event);
    }
  }
}

function keyOf(event: CompanyEnvelope): Record<string, string> {
  return { tenant_id: event.tenantId, company_id: event.data.companyId };
}

async function register(
  event: Extract<ContactsEventEnvelope, { type: 'CompanyRegistered' }>,
  client: PoolClient,
): Promise<void> {
  const { data } = event;
  await client.query(
    `INSERT INTO contacts.companies (tenant_id, company_id, name, sector, year_established,
       revenue, employees, office_location, parent_company_id, website, owner_id, lead_source,
       archived, version, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, false, $13, $14, $15)
     ON CONFLICT (tenant_id, company_id) DO NOTHING`,
    [
      event.tenantId,
      data.companyId,
      data.name,
      data.sector,
      data.yearEstablished,
      data.revenue,
      data.employees,
      data.officeLocation,
      data.parentCompanyId,
      data.website,
      data.ownerId,
      data.leadSource,
      event.streamVersion,
      event.occurredAt,
      event.recordedAt,
    ],
  );
}
