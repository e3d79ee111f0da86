import { ContactsEventEnvelope, isContactsEnvelope, PersonPersonalData } from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';
import { rowUpdate, SqlProjection, toColumns } from '@relate/service-kit';
import { PoolClient } from 'pg';

const TABLE = 'contacts.people';

// Personal columns (names, email, phone) are the ones an erasure blanks.
const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS contacts;
  CREATE TABLE IF NOT EXISTS contacts.people (
    tenant_id text NOT NULL,
    person_id text NOT NULL,
    first_name text NOT NULL,
    last_name text NOT NULL,
    email text,
    phone text,
    title text,
    company_id text,
    owner_id text,
    lead_source text,
    archived boolean NOT NULL DEFAULT false,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, person_id)
  );
  CREATE INDEX IF NOT EXISTS people_by_name ON contacts.people
    (tenant_id, lower(last_name), lower(first_name));
  CREATE INDEX IF NOT EXISTS people_by_company ON contacts.people (tenant_id, company_id);
  CREATE INDEX IF NOT EXISTS people_by_owner ON contacts.people (tenant_id, owner_id);
`;

const PERSONAL_COLUMNS: Record<keyof PersonPersonalData, string> = {
  firstName: 'first_name',
  lastName: 'last_name',
  email: 'email',
  phone: 'phone',
};

type PersonEnvelope = Extract<ContactsEventEnvelope, { data: { personId: string } }>;

/** The people list and detail read model, fed from the contacts topic. */
export class PeopleProjection extends SqlProjection<ContactsEventEnvelope> {
  readonly name = 'contacts-people';
  readonly tables = ['contacts.people'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isContactsEnvelope;

  protected async project(event: ContactsEventEnvelope, client: PoolClient): Promise<void> {
    const update = rowUpdate(client, TABLE, keyOf(event as PersonEnvelope), event);
    switch (event.type) {
      case 'PersonRegistered':
        return register(event, client);
      case 'PersonDetailsChanged': {
        const { personal = {}, title } = event.data;

        return update({
          ...toColumns(personal, PERSONAL_COLUMNS),
          ...(title !== undefined ? { title } : {}),
        });
      }
      case 'PersonLinkedToCompany':
        return update({ company_id: event.data.companyId });
      case 'PersonUnlinkedFromCompany':
        return update({ company_id: null });
      case 'PersonOwnerAssigned':
        return update({ owner_id: event.data.ownerId });
      case 'PersonLeadSourceRecorded':
        return update({ lead_source: event.data.leadSource });
      case 'PersonArchived':
        return update({ archived: true });
      case 'CompanyRegistered':
      case 'CompanyRenamed':
      case 'CompanyDetailsChanged':
      case 'CompanyOwnerAssigned':
      case 'CompanyArchived':
      case 'CompanyUnarchived':
      case 'SalesRepRegistered':
      case 'SalesRepDetailsChanged':
        return;
      default:
        return assertUnreachable(event);
    }
  }
}

function keyOf(event: PersonEnvelope): Record<string, string> {
  return { tenant_id: event.tenantId, person_id: event.data.personId };
}

async function register(
  event: Extract<ContactsEventEnvelope, { type: 'PersonRegistered' }>,
  client: PoolClient,
): Promise<void> {
  const { data } = event;
  await client.query(
    `INSERT INTO contacts.people (tenant_id, person_id, first_name, last_name, email, phone,
       title, company_id, owner_id, lead_source, archived, version, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, false, $11, $12, $13)
     ON CONFLICT (tenant_id, person_id) DO NOTHING`,
    [
      event.tenantId,
      data.personId,
      data.personal.firstName,
      data.personal.lastName,
      data.personal.email,
      data.personal.phone,
      data.title,
      data.companyId,
      data.ownerId,
      data.leadSource,
      event.streamVersion,
      event.occurredAt,
      event.recordedAt,
    ],
  );
}
