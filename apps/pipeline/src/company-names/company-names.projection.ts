import { ContactsEventEnvelope, isContactsEnvelope } from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';
import { SqlProjection } from '@relate/service-kit';
import { PoolClient } from 'pg';

const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS pipeline;
  CREATE TABLE IF NOT EXISTS pipeline.company_names (
    tenant_id text NOT NULL,
    company_id text NOT NULL,
    name text NOT NULL,
    version integer NOT NULL,
    PRIMARY KEY (tenant_id, company_id)
  );
`;

/**
 * Company names as the contacts context publishes them, so that deals show their company's
 * current name without calling the contacts service (DESIGN.md: services learn about each
 * other only from Kafka).
 */
export class CompanyNamesProjection extends SqlProjection<ContactsEventEnvelope> {
  readonly name = 'pipeline-company-names';
  readonly tables = ['pipeline.company_names'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isContactsEnvelope;

  protected async project(event: ContactsEventEnvelope, client: PoolClient): Promise<void> {
    switch (event.type) {
      case 'CompanyRegistered':
      case 'CompanyRenamed': {
        const { companyId, name } = event.data;
        await client.query(
          `INSERT INTO pipeline.company_names (tenant_id, company_id, name, version)
           VALUES ($1, $2, $3, $4)
           ON CONFLICT (tenant_id, company_id)
           DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version`,
          [event.tenantId, companyId, name, event.streamVersion],
        );

        return;
      }
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
      case 'SalesRepRegistered':
      case 'SalesRepDetailsChanged':
        return;
      default:
        return assertUnreachable(event);
    }
  }
}
