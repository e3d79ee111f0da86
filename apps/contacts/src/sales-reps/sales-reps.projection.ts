import { ContactsEventEnvelope, isContactsEnvelope, SalesRepPersonalData } from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';
import { rowUpdate, SqlProjection, toColumns } from '@relate/service-kit';
import { PoolClient } from 'pg';

// name, manager and email are personal data: the columns an erasure blanks.
const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS contacts;
  CREATE TABLE IF NOT EXISTS contacts.sales_reps (
    tenant_id text NOT NULL,
    sales_rep_id text NOT NULL,
    name text NOT NULL,
    manager text,
    regional_office text,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, sales_rep_id)
  );
  ALTER TABLE contacts.sales_reps ADD COLUMN IF NOT EXISTS email text;
  CREATE INDEX IF NOT EXISTS sales_reps_by_name ON contacts.sales_reps (tenant_id, lower(name));
`;

const PERSONAL_COLUMNS: Record<keyof SalesRepPersonalData, string> = {
  name: 'name',
  manager: 'manager',
  email: 'email',
};

/** The sales reps (owners) list, fed from the contacts topic. */
export class SalesRepsProjection extends SqlProjection<ContactsEventEnvelope> {
  readonly name = 'contacts-sales-reps';
  readonly tables = ['contacts.sales_reps'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isContactsEnvelope;

  protected async project(event: ContactsEventEnvelope, client: PoolClient): Promise<void> {
    switch (event.type) {
      case 'SalesRepRegistered': {
        const { salesRepId, personal, regionalOffice } = event.data;
        await client.query(
          `INSERT INTO contacts.sales_reps (tenant_id, sales_rep_id, name, manager,
             regional_office, version, created_at, updated_at, email)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (tenant_id, sales_rep_id) DO NOTHING`,
          [
            event.tenantId,
            salesRepId,
            personal.name,
            personal.manager,
            regionalOffice,
            event.streamVersion,
            event.occurredAt,
            event.recordedAt,
            personal.email ?? null,
          ],
        );

        return;
      }
      case 'SalesRepDetailsChanged': {
        const { salesRepId, personal = {}, regionalOffice } = event.data;
        const key = { tenant_id: event.tenantId, sales_rep_id: salesRepId };

        return rowUpdate(
          client,
          'contacts.sales_reps',
          key,
          event,
        )({
          ...toColumns(personal, PERSONAL_COLUMNS),
          ...(regionalOffice !== undefined ? { regional_office: regionalOffice } : {}),
        });
      }
      case 'CompanyRegistered':
      case 'CompanyRenamed':
      case 'CompanyDetailsChanged':
      case 'CompanyOwnerAssigned':
      case 'CompanyArchived':
      case 'CompanyUnarchived':
      case 'PersonRegistered':
      case 'PersonDetailsChanged':
      case 'PersonLinkedToCompany':
      case 'PersonUnlinkedFromCompany':
      case 'PersonOwnerAssigned':
      case 'PersonLeadSourceRecorded':
      case 'PersonArchived':
        return;
      default:
        return assertUnreachable(event);
    }
  }
}
