import {
  ContactsEventEnvelope,
  EventEnvelope,
  isContactsEnvelope,
  isPipelineEnvelope,
  PipelineEventEnvelope,
} from '@relate/contracts';
import { SqlProjection } from '@relate/service-kit';
import { PoolClient } from 'pg';

import { changesOf, RecordChange } from './record-changes';

// The directory of people, companies and deals (owner, creation, status) for follow-ups and
// engagement; each record's own changes for timelines; stage names for their summaries. Names
// are joined at read time, so that no row depends on the order of two streams.
const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS activities;
  CREATE TABLE IF NOT EXISTS activities.records (
    tenant_id text NOT NULL,
    record_type text NOT NULL CHECK (record_type IN ('person', 'company', 'deal')),
    record_id text NOT NULL,
    name text,
    first_name text,
    last_name text,
    owner_id text,
    company_id text,
    person_id text,
    status text NOT NULL,
    created_at timestamptz NOT NULL,
    version integer NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, record_type, record_id)
  );
  CREATE INDEX IF NOT EXISTS records_by_owner
    ON activities.records (tenant_id, owner_id, record_type, status);
  CREATE INDEX IF NOT EXISTS records_by_company
    ON activities.records (tenant_id, company_id, record_type);
  CREATE TABLE IF NOT EXISTS activities.record_changes (
    tenant_id text NOT NULL,
    event_id text NOT NULL,
    record_type text NOT NULL,
    record_id text NOT NULL,
    at timestamptz NOT NULL,
    type text NOT NULL,
    summary text NOT NULL,
    pipeline_id text,
    from_stage_id text,
    to_stage_id text,
    actor_id text NOT NULL,
    PRIMARY KEY (tenant_id, event_id, record_type, record_id)
  );
  CREATE INDEX IF NOT EXISTS record_changes_by_record
    ON activities.record_changes (tenant_id, record_type, record_id, at DESC);
  CREATE TABLE IF NOT EXISTS activities.stage_names (
    tenant_id text NOT NULL,
    pipeline_id text NOT NULL,
    stage_id text NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (tenant_id, pipeline_id, stage_id)
  );
`;

type RecordsEvent = ContactsEventEnvelope | PipelineEventEnvelope;

function isRecordsEnvelope(envelope: EventEnvelope): envelope is RecordsEvent {
  return isContactsEnvelope(envelope) || isPipelineEnvelope(envelope);
}

interface RecordKey {
  type: 'person' | 'company' | 'deal';
  id: string;
}

/** People, companies and deals as the activities service needs them, from their own topics. */
export class RecordsProjection extends SqlProjection<RecordsEvent> {
  readonly name = 'activities-records';

  readonly tables = ['activities.records', 'activities.record_changes', 'activities.stage_names'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isRecordsEnvelope;

  protected async project(event: RecordsEvent, client: PoolClient): Promise<void> {
    await this.directory(event, client);
    for (const change of changesOf(event)) {
      await insertChange(event, change, client);
    }
  }

  // Not exhaustive on purpose: the contacts and pipeline catalogues grow, and an event this
  // read model does not use must pass without a change here.
  private async directory(event: RecordsEvent, client: PoolClient): Promise<void> {
    const set = (key: RecordKey, columns: Record<string, unknown>) =>
      updateRecord(client, event, key, columns);
    switch (event.type) {
      case 'CompanyRegistered': {
        const { companyId, name, ownerId } = event.data;

        return insertRecord(
          client,
          event,
          { type: 'company', id: companyId },
          {
            name,
            owner_id: ownerId,
          },
        );
      }
      case 'CompanyRenamed':
        return set({ type: 'company', id: event.data.companyId }, { name: event.data.name });
      case 'CompanyOwnerAssigned':
        return set({ type: 'company', id: event.data.companyId }, { owner_id: event.data.ownerId });
      case 'CompanyArchived':
        return set({ type: 'company', id: event.data.companyId }, { status: 'archived' });
      case 'CompanyUnarchived':
        return set({ type: 'company', id: event.data.companyId }, { status: 'active' });
      case 'PersonRegistered': {
        // TODO(#3): people's names are personal data; erase them here once contacts has an
        // erasure event (there is none in the catalogue yet).
        const { personId, personal, companyId, ownerId } = event.data;

        return insertRecord(
          client,
          event,
          { type: 'person', id: personId },
          {
            first_name: personal.firstName,
            last_name: personal.lastName,
            company_id: companyId,
            owner_id: ownerId,
          },
        );
      }
      case 'PersonDetailsChanged': {
        const { firstName, lastName } = event.data.personal ?? {};
        const columns = Object.fromEntries(
          Object.entries({ first_name: firstName, last_name: lastName }).filter(
            ([, value]) => value !== undefined,
          ),
        );

        return set({ type: 'person', id: event.data.personId }, columns);
      }
      case 'PersonLinkedToCompany':
        return set(
          { type: 'person', id: event.data.personId },
          { company_id: event.data.companyId },
        );
      case 'PersonUnlinkedFromCompany':
        return set({ type: 'person', id: event.data.personId }, { company_id: null });
      case 'PersonOwnerAssigned':
        return set({ type: 'person', id: event.data.personId }, { owner_id: event.data.ownerId });
      case 'PersonArchived':
        return set({ type: 'person', id: event.data.personId }, { status: 'archived' });
      case 'DealOpened': {
        const { dealId, title, ownerId, companyId, personId } = event.data;

        return insertRecord(
          client,
          event,
          { type: 'deal', id: dealId },
          {
            name: title,
            owner_id: ownerId,
            company_id: companyId,
            person_id: personId,
            status: 'open',
          },
        );
      }
      case 'DealRenamed':
        return set({ type: 'deal', id: event.data.dealId }, { name: event.data.title });
      case 'DealOwnerAssigned':
        return set({ type: 'deal', id: event.data.dealId }, { owner_id: event.data.ownerId });
      case 'DealWon':
        return set({ type: 'deal', id: event.data.dealId }, { status: 'won' });
      case 'DealLost':
        return set({ type: 'deal', id: event.data.dealId }, { status: 'lost' });
      case 'PipelineDefined':
        return defineStages(event, client);
      default:
        return;
    }
  }
}

async function insertRecord(
  client: PoolClient,
  event: RecordsEvent,
  key: RecordKey,
  columns: Record<string, unknown>,
): Promise<void> {
  const values = { status: 'active', ...columns };
  const names = Object.keys(values);
  const placeholders = names.map((_, index) => `$${index + 7}`);
  await client.query(
    `INSERT INTO activities.records (tenant_id, record_type, record_id, created_at, version,
       updated_at, ${names.join(', ')})
     VALUES ($1, $2, $3, $4, $5, $6, ${placeholders.join(', ')})
     ON CONFLICT (tenant_id, record_type, record_id) DO NOTHING`,
    [
      event.tenantId,
      key.type,
      key.id,
      event.occurredAt,
      event.streamVersion,
      event.recordedAt,
      ...Object.values(values),
    ],
  );
}

async function updateRecord(
  client: PoolClient,
  event: RecordsEvent,
  key: RecordKey,
  columns: Record<string, unknown>,
): Promise<void> {
  const names = Object.keys(columns);
  const assignments = names.map((name, index) => `${name} = $${index + 6}`);
  await client.query(
    `UPDATE activities.records SET version = $4, updated_at = $5
       ${assignments.map((assignment) => `, ${assignment}`).join('')}
     WHERE tenant_id = $1 AND record_type = $2 AND record_id = $3`,
    [
      event.tenantId,
      key.type,
      key.id,
      event.streamVersion,
      event.recordedAt,
      ...Object.values(columns),
    ],
  );
}

async function defineStages(
  event: Extract<RecordsEvent, { type: 'PipelineDefined' }>,
  client: PoolClient,
): Promise<void> {
  const { pipelineId, stages } = event.data;
  await client.query(
    `INSERT INTO activities.stage_names (tenant_id, pipeline_id, stage_id, name)
     SELECT $1, $2, stage.id, stage.name FROM unnest($3::text[], $4::text[]) AS stage(id, name)
     ON CONFLICT (tenant_id, pipeline_id, stage_id) DO UPDATE SET name = excluded.name`,
    [
      event.tenantId,
      pipelineId,
      stages.map((stage) => stage.stageId),
      stages.map((stage) => stage.name),
    ],
  );
}

async function insertChange(
  event: RecordsEvent,
  change: RecordChange,
  client: PoolClient,
): Promise<void> {
  await client.query(
    `INSERT INTO activities.record_changes (tenant_id, event_id, record_type, record_id, at,
       type, summary, pipeline_id, from_stage_id, to_stage_id, actor_id)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (tenant_id, event_id, record_type, record_id) DO NOTHING`,
    [
      event.tenantId,
      event.id,
      change.recordType,
      change.recordId,
      event.occurredAt,
      event.type,
      change.summary,
      change.pipelineId ?? null,
      change.fromStageId ?? null,
      change.toStageId ?? null,
      event.actor.id,
    ],
  );
}
