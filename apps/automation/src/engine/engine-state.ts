import { EventEnvelope, FiringRecord } from '@relate/contracts';
import { PoolClient } from 'pg';

/**
 * What rule conditions need to know about records, kept by the rule engine itself in its own
 * transaction (so a condition sees the record as of the trigger event, never a lagging read
 * model). These tables are reactor state, not read models: a rebuild never drops them.
 */
export const ENGINE_STATE_MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS automation;
  CREATE TABLE IF NOT EXISTS automation.engine_deals (
    tenant_id text NOT NULL,
    deal_id text NOT NULL,
    title text,
    value numeric(20, 2),
    currency text,
    pipeline_id text,
    stage_id text,
    owner_id text,
    person_id text,
    company_id text,
    PRIMARY KEY (tenant_id, deal_id)
  );
  CREATE TABLE IF NOT EXISTS automation.engine_contacts (
    tenant_id text NOT NULL,
    kind text NOT NULL,
    contact_id text NOT NULL,
    owner_id text,
    lead_source text,
    company_id text,
    PRIMARY KEY (tenant_id, kind, contact_id)
  );
  CREATE TABLE IF NOT EXISTS automation.rep_emails (
    tenant_id text NOT NULL,
    sales_rep_id text NOT NULL,
    email text,
    PRIMARY KEY (tenant_id, sales_rep_id)
  );
  ALTER TABLE automation.rep_emails ADD COLUMN IF NOT EXISTS version integer;
`;

export interface DealRow {
  deal_id: string;
  title: string | null;
  value: string | null;
  currency: string | null;
  pipeline_id: string | null;
  stage_id: string | null;
  owner_id: string | null;
  person_id: string | null;
  company_id: string | null;
}

type Data = Record<string, unknown>;

const DEAL_COLUMNS: Record<string, (d: Data) => Record<string, unknown>> = {
  DealMovedToStage: (d) => ({ stage_id: d.toStageId }),
  DealRenamed: (d) => ({ title: d.title }),
  DealValueChanged: (d) => ({ value: d.value, currency: d.currency }),
  DealOwnerAssigned: (d) => ({ owner_id: d.ownerId }),
  DealWon: (d) => ({ stage_id: d.stageId, value: d.value }),
  DealLost: (d) => ({ stage_id: d.stageId }),
};

const CONTACT_COLUMNS: Record<string, (d: Data) => [string, string, Record<string, unknown>]> = {
  PersonRegistered: (d) => [
    'person',
    d.personId as string,
    { owner_id: d.ownerId, lead_source: d.leadSource, company_id: d.companyId },
  ],
  PersonOwnerAssigned: (d) => ['person', d.personId as string, { owner_id: d.ownerId }],
  PersonLeadSourceRecorded: (d) => ['person', d.personId as string, { lead_source: d.leadSource }],
  PersonLinkedToCompany: (d) => ['person', d.personId as string, { company_id: d.companyId }],
  CompanyRegistered: (d) => [
    'company',
    d.companyId as string,
    { owner_id: d.ownerId, lead_source: d.leadSource },
  ],
  CompanyOwnerAssigned: (d) => ['company', d.companyId as string, { owner_id: d.ownerId }],
  CompanyDetailsChanged: (d) => {
    const changes = d.changes as Data;

    return [
      'company',
      d.companyId as string,
      'leadSource' in changes ? { lead_source: changes.leadSource } : {},
    ];
  },
};

async function updateColumns(
  client: PoolClient,
  table: string,
  key: Record<string, unknown>,
  columns: Record<string, unknown>,
): Promise<void> {
  const all = { ...key, ...columns };
  const names = Object.keys(all);
  const updates = Object.keys(columns).map((name) => `${name} = EXCLUDED.${name}`);
  await client.query(
    `INSERT INTO ${table} (${names.join(', ')})
     VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})
     ON CONFLICT (${Object.keys(key).join(', ')}) DO ${
       updates.length === 0 ? 'NOTHING' : `UPDATE SET ${updates.join(', ')}`
     }`,
    Object.values(all),
  );
}

/** Folds one event into the engine's tables (idempotent: it sets values, never adds). */
export async function trackState(event: EventEnvelope, client: PoolClient): Promise<void> {
  const data = event.data as Data;
  const tenant = event.tenantId;
  if (event.type === 'DealOpened') {
    await updateColumns(
      client,
      'automation.engine_deals',
      { tenant_id: tenant, deal_id: data.dealId },
      {
        title: data.title,
        value: data.value,
        currency: data.currency,
        pipeline_id: data.pipelineId,
        stage_id: data.stageId,
        owner_id: data.ownerId,
        person_id: data.personId,
        company_id: data.companyId,
      },
    );
  } else if (DEAL_COLUMNS[event.type]) {
    const key = { tenant_id: tenant, deal_id: data.dealId };
    await updateColumns(client, 'automation.engine_deals', key, DEAL_COLUMNS[event.type](data));
  } else if (CONTACT_COLUMNS[event.type]) {
    const [kind, id, columns] = CONTACT_COLUMNS[event.type](data);
    const key = { tenant_id: tenant, kind, contact_id: id };
    await updateColumns(client, 'automation.engine_contacts', key, columns);
  } else if (event.type === 'SalesRepRegistered' || event.type === 'SalesRepDetailsChanged') {
    await trackRepEmail(event, client);
  }
}

/**
 * A sales rep's email, for mail to "the owner" and reminders to the assignee: set at
 * registration, and by a later change that names one (an imported rep gets one that way).
 * Two reactors (engine and reminder timers) write this table at their own pace, so the rep's
 * stream version decides: a lagging one never puts back an older address.
 */
export async function trackRepEmail(event: EventEnvelope, client: PoolClient): Promise<void> {
  const data = event.data as { salesRepId: string; personal?: { email?: string | null } };
  if (event.type !== 'SalesRepRegistered' && data.personal?.email === undefined) {
    return;
  }
  await client.query(
    `INSERT INTO automation.rep_emails AS r (tenant_id, sales_rep_id, email, version)
     VALUES ($1, $2, $3, $4)
     ON CONFLICT (tenant_id, sales_rep_id) DO UPDATE SET email = EXCLUDED.email,
       version = EXCLUDED.version
     WHERE r.version IS NULL OR r.version < EXCLUDED.version`,
    [event.tenantId, data.salesRepId, data.personal?.email ?? null, event.streamVersion],
  );
}

export async function repEmail(
  client: PoolClient,
  tenantId: string,
  repId: string | null,
): Promise<string | null> {
  if (repId === null) {
    return null;
  }
  const { rows } = await client.query<{ email: string | null }>(
    'SELECT email FROM automation.rep_emails WHERE tenant_id = $1 AND sales_rep_id = $2',
    [tenantId, repId],
  );

  return rows[0]?.email ?? null;
}

async function contact(client: PoolClient, tenantId: string, kind: string, id: unknown) {
  if (typeof id !== 'string') {
    return undefined;
  }
  const { rows } = await client.query<{
    owner_id: string | null;
    lead_source: string | null;
    company_id: string | null;
  }>(
    `SELECT owner_id, lead_source, company_id FROM automation.engine_contacts
     WHERE tenant_id = $1 AND kind = $2 AND contact_id = $3`,
    [tenantId, kind, id],
  );

  return rows[0];
}

export interface EngineRecord extends FiringRecord {
  deal: DealRow | null;
}

/**
 * The record an event is about: its deal (directly or through related records) or contact.
 * TODO(#3): task events after TaskCreated carry only the task id, so conditions on the deal
 * of a TaskCompleted see nothing; the engine would need to keep tasks' related records too.
 */
export async function recordOf(event: EventEnvelope, client: PoolClient): Promise<EngineRecord> {
  const data = event.data as Data;
  const related = (data.related as Data | undefined) ?? {};
  const dealId = (data.dealId ?? related.dealId ?? null) as string | null;
  let deal: DealRow | null = null;
  if (dealId !== null) {
    const { rows } = await client.query<DealRow>(
      'SELECT * FROM automation.engine_deals WHERE tenant_id = $1 AND deal_id = $2',
      [event.tenantId, dealId],
    );
    deal = rows[0] ?? null;
  }
  const personId = (deal?.person_id ?? data.personId ?? related.personId ?? null) as string | null;
  const companyId = (deal?.company_id ?? data.companyId ?? related.companyId ?? null) as
    string | null;
  const person = await contact(client, event.tenantId, 'person', personId);
  const company = await contact(client, event.tenantId, 'company', companyId);
  const ownerId =
    deal?.owner_id ??
    ((data.ownerId ?? data.assigneeId ?? person?.owner_id ?? company?.owner_id ?? null) as
      string | null);

  return {
    deal,
    dealId,
    personId,
    companyId,
    ownerId,
    pipelineId: deal?.pipeline_id ?? ((data.pipelineId ?? null) as string | null),
    stageId: deal?.stage_id ?? null,
    value: deal?.value == null ? null : Number(deal.value),
    source: person?.lead_source ?? company?.lead_source ?? null,
  };
}
