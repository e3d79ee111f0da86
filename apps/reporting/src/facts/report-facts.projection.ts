import {
  ContactsEventEnvelope,
  EventEnvelope,
  isContactsEnvelope,
  isPipelineEnvelope,
  PipelineEventEnvelope,
} from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';
import { Projection } from '@relate/messaging';
import { assertKnownSchema } from '@relate/service-kit';
import { PoolClient } from 'pg';

/**
 * The facts every report is computed from, one table per kind of record. Rows hold ids, not
 * copies of other records' attributes: a report joins deals with reps, companies and products
 * when it is asked, so a later change of a rep or a company is always reflected, whatever the
 * order in which the two topics are consumed.
 */
export const REPORT_FACT_TABLES = [
  'reporting.sales_reps',
  'reporting.companies',
  'reporting.people',
  'reporting.products',
  'reporting.pipelines',
  'reporting.stages',
  'reporting.deals',
  'reporting.deal_stage_entries',
];

const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS reporting;
  CREATE TABLE IF NOT EXISTS reporting.sales_reps (
    tenant_id text NOT NULL,
    sales_rep_id text NOT NULL,
    name text,
    manager text,
    regional_office text,
    PRIMARY KEY (tenant_id, sales_rep_id)
  );
  CREATE TABLE IF NOT EXISTS reporting.companies (
    tenant_id text NOT NULL,
    company_id text NOT NULL,
    name text NOT NULL,
    sector text,
    lead_source text,
    PRIMARY KEY (tenant_id, company_id)
  );
  CREATE TABLE IF NOT EXISTS reporting.people (
    tenant_id text NOT NULL,
    person_id text NOT NULL,
    lead_source text,
    PRIMARY KEY (tenant_id, person_id)
  );
  CREATE TABLE IF NOT EXISTS reporting.products (
    tenant_id text NOT NULL,
    product_id text NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (tenant_id, product_id)
  );
  CREATE TABLE IF NOT EXISTS reporting.pipelines (
    tenant_id text NOT NULL,
    pipeline_id text NOT NULL,
    name text NOT NULL,
    PRIMARY KEY (tenant_id, pipeline_id)
  );
  CREATE TABLE IF NOT EXISTS reporting.stages (
    tenant_id text NOT NULL,
    pipeline_id text NOT NULL,
    stage_id text NOT NULL,
    position integer NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    probability numeric(5, 2),
    PRIMARY KEY (tenant_id, pipeline_id, stage_id)
  );
  CREATE TABLE IF NOT EXISTS reporting.deals (
    tenant_id text NOT NULL,
    deal_id text NOT NULL,
    title text NOT NULL,
    pipeline_id text NOT NULL,
    stage_id text NOT NULL,
    status text NOT NULL,
    company_id text,
    person_id text,
    owner_id text,
    product_id text,
    value numeric(20, 2),
    currency text NOT NULL,
    expected_close_date date,
    opened_at timestamptz NOT NULL,
    closed_at timestamptz,
    PRIMARY KEY (tenant_id, deal_id)
  );
  CREATE TABLE IF NOT EXISTS reporting.deal_stage_entries (
    tenant_id text NOT NULL,
    deal_id text NOT NULL,
    stream_version integer NOT NULL,
    stage_id text NOT NULL,
    entered_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, deal_id, stream_version)
  );
`;

type Contacts = ContactsEventEnvelope;
type Pipeline = PipelineEventEnvelope;

/**
 * One consumer group over the contacts and pipeline topics that keeps the report facts. Every
 * value comes from the events (business time from `occurredAt`), never from the clock.
 */
export class ReportFactsProjection implements Projection {
  readonly name = 'reporting-facts';

  readonly tables = REPORT_FACT_TABLES;

  constructor(readonly topics: string[]) {}

  async migrate(client: PoolClient): Promise<void> {
    await client.query(MIGRATION);
  }

  async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    if (isContactsEnvelope(event)) {
      assertKnownSchema(event);

      return projectContacts(event, client);
    }
    if (isPipelineEnvelope(event)) {
      assertKnownSchema(event);

      return projectPipeline(event, client);
    }
  }
}

// Sales reps' and managers' names are personal data, kept as the source gives them because the
// reports group by them. TODO(#3): the catalogue has no erasure event yet; when one comes, blank
// the rep's name and manager here too (a rebuild already reflects erased events).
async function projectContacts(event: Contacts, client: PoolClient): Promise<void> {
  const t = event.tenantId;
  switch (event.type) {
    case 'SalesRepRegistered': {
      const { salesRepId, personal, regionalOffice } = event.data;
      await client.query(
        `INSERT INTO reporting.sales_reps (tenant_id, sales_rep_id, name, manager,
           regional_office) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (tenant_id, sales_rep_id) DO UPDATE SET name = $3, manager = $4,
           regional_office = $5`,
        [t, salesRepId, personal?.name ?? null, personal?.manager ?? null, regionalOffice],
      );

      return;
    }
    case 'SalesRepDetailsChanged': {
      // A rep's new name, manager or office regroups their deals in every report from now on.
      const { personal = {}, regionalOffice } = event.data;
      const columns: Record<string, unknown> = {};
      if (personal.name !== undefined) columns.name = personal.name;
      if (personal.manager !== undefined) columns.manager = personal.manager;
      if (regionalOffice !== undefined) columns.regional_office = regionalOffice;

      return set(client, 'sales_reps', 'sales_rep_id', event, event.data.salesRepId, columns);
    }
    case 'CompanyRegistered': {
      const { companyId, name, sector, leadSource } = event.data;
      await client.query(
        `INSERT INTO reporting.companies (tenant_id, company_id, name, sector, lead_source)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, company_id) DO NOTHING`,
        [t, companyId, name, sector ?? null, leadSource ?? null],
      );

      return;
    }
    case 'CompanyRenamed':
      return set(client, 'companies', 'company_id', event, event.data.companyId, {
        name: event.data.name,
      });
    case 'CompanyDetailsChanged': {
      const { changes } = event.data;
      const columns: Record<string, unknown> = {};
      if (changes.sector !== undefined) columns.sector = changes.sector;
      if (changes.leadSource !== undefined) columns.lead_source = changes.leadSource;

      return set(client, 'companies', 'company_id', event, event.data.companyId, columns);
    }
    case 'PersonRegistered':
      await client.query(
        `INSERT INTO reporting.people (tenant_id, person_id, lead_source) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, person_id) DO NOTHING`,
        [t, event.data.personId, event.data.leadSource ?? null],
      );

      return;
    case 'PersonLeadSourceRecorded':
      return set(client, 'people', 'person_id', event, event.data.personId, {
        lead_source: event.data.leadSource,
      });
    case 'CompanyOwnerAssigned':
    case 'CompanyArchived':
    case 'CompanyUnarchived':
    case 'PersonDetailsChanged':
    case 'PersonLinkedToCompany':
    case 'PersonUnlinkedFromCompany':
    case 'PersonOwnerAssigned':
    case 'PersonArchived':
      return;
    default:
      return assertUnreachable(event);
  }
}

async function projectPipeline(event: Pipeline, client: PoolClient): Promise<void> {
  const deal = (columns: Record<string, unknown>) =>
    set(client, 'deals', 'deal_id', event, (event.data as { dealId: string }).dealId, columns);
  switch (event.type) {
    case 'PipelineDefined':
      return definePipeline(event, client);
    case 'ProductAdded':
      await client.query(
        `INSERT INTO reporting.products (tenant_id, product_id, name) VALUES ($1, $2, $3)
         ON CONFLICT (tenant_id, product_id) DO NOTHING`,
        [event.tenantId, event.data.productId, event.data.name],
      );

      return;
    case 'DealOpened':
      await openDeal(event, client);

      return enterStage(client, event, event.data.stageId);
    case 'DealMovedToStage':
      await deal({ stage_id: event.data.toStageId });

      return enterStage(client, event, event.data.toStageId);
    case 'DealRenamed':
      return deal({ title: event.data.title });
    case 'DealValueChanged':
      return deal({ value: event.data.value, currency: event.data.currency });
    case 'DealExpectedCloseDateChanged':
      return deal({ expected_close_date: event.data.expectedCloseDate });
    case 'DealProductChanged':
      return deal({ product_id: event.data.productId });
    case 'DealOwnerAssigned':
      return deal({ owner_id: event.data.ownerId });
    case 'DealWon': {
      const { stageId, value, currency } = event.data;
      await deal({
        status: 'won',
        stage_id: stageId,
        value,
        currency,
        closed_at: event.occurredAt,
      });

      return enterStage(client, event, stageId);
    }
    case 'DealLost':
      await deal({ status: 'lost', stage_id: event.data.stageId, closed_at: event.occurredAt });

      return enterStage(client, event, event.data.stageId);
    default:
      return assertUnreachable(event);
  }
}

/** Column names come from the constant maps above, never from input. */
async function set(
  client: PoolClient,
  table: string,
  keyColumn: string,
  event: EventEnvelope,
  id: string,
  columns: Record<string, unknown>,
): Promise<void> {
  const names = Object.keys(columns);
  if (names.length === 0) return;
  const assignments = names.map((name, index) => `${name} = $${index + 3}`).join(', ');
  await client.query(
    `UPDATE reporting.${table} SET ${assignments} WHERE tenant_id = $1 AND ${keyColumn} = $2`,
    [event.tenantId, id, ...Object.values(columns)],
  );
}

async function openDeal(
  event: Extract<Pipeline, { type: 'DealOpened' }>,
  client: PoolClient,
): Promise<void> {
  const { data } = event;
  await client.query(
    `INSERT INTO reporting.deals (tenant_id, deal_id, title, pipeline_id, stage_id, status,
       company_id, person_id, owner_id, product_id, value, currency, expected_close_date,
       opened_at)
     VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9, $10, $11, $12, $13)
     ON CONFLICT (tenant_id, deal_id) DO NOTHING`,
    [
      event.tenantId,
      data.dealId,
      data.title,
      data.pipelineId,
      data.stageId,
      data.companyId,
      data.personId,
      data.ownerId,
      data.productId,
      data.value,
      data.currency,
      data.expectedCloseDate,
      event.occurredAt,
    ],
  );
}

/** Each stage a deal entered, at the business time it entered it: conversion and cycle. */
async function enterStage(client: PoolClient, event: Pipeline, stageId: string): Promise<void> {
  await client.query(
    `INSERT INTO reporting.deal_stage_entries (tenant_id, deal_id, stream_version, stage_id,
       entered_at) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (tenant_id, deal_id, stream_version) DO NOTHING`,
    [
      event.tenantId,
      (event.data as { dealId: string }).dealId,
      event.streamVersion,
      stageId,
      event.occurredAt,
    ],
  );
}

async function definePipeline(
  event: Extract<Pipeline, { type: 'PipelineDefined' }>,
  client: PoolClient,
): Promise<void> {
  const { pipelineId, name, stages } = event.data;
  await client.query(
    `INSERT INTO reporting.pipelines (tenant_id, pipeline_id, name) VALUES ($1, $2, $3)
     ON CONFLICT (tenant_id, pipeline_id) DO NOTHING`,
    [event.tenantId, pipelineId, name],
  );
  await client.query(
    `INSERT INTO reporting.stages (tenant_id, pipeline_id, stage_id, position, name, kind,
       probability)
     SELECT $1, $2, stage.id, stage.position::integer, stage.name, stage.kind, stage.probability
     FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::numeric[])
       AS stage(id, position, name, kind, probability)
     ON CONFLICT (tenant_id, pipeline_id, stage_id) DO NOTHING`,
    [
      event.tenantId,
      pipelineId,
      stages.map((stage) => stage.stageId),
      stages.map((_, index) => String(index)),
      stages.map((stage) => stage.name),
      stages.map((stage) => stage.kind),
      stages.map((stage) => stage.probability),
    ],
  );
}
