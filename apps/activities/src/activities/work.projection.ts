import { ActivitiesEventEnvelope, isActivitiesEnvelope } from '@relate/contracts';
import { assertUnreachable } from '@relate/errors';
import { rowUpdate, SqlProjection } from '@relate/service-kit';
import { PoolClient } from 'pg';

// Both tables keep the record ids an activity or task is about, so that timelines, engagement
// and follow-ups join them with the records directory at read time.
const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS activities;
  CREATE TABLE IF NOT EXISTS activities.activities (
    tenant_id text NOT NULL,
    activity_id text NOT NULL,
    kind text NOT NULL,
    occurred_at timestamptz NOT NULL,
    direction text,
    outcome text,
    duration_minutes integer,
    owner_id text,
    person_id text,
    company_id text,
    deal_id text,
    subject text,
    body text,
    logged_by text NOT NULL,
    logged_at timestamptz NOT NULL,
    version integer NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, activity_id)
  );
  CREATE INDEX IF NOT EXISTS activities_by_time
    ON activities.activities (tenant_id, occurred_at DESC, activity_id);
  CREATE INDEX IF NOT EXISTS activities_by_person ON activities.activities (tenant_id, person_id);
  CREATE INDEX IF NOT EXISTS activities_by_company
    ON activities.activities (tenant_id, company_id);
  CREATE INDEX IF NOT EXISTS activities_by_deal ON activities.activities (tenant_id, deal_id);
  CREATE TABLE IF NOT EXISTS activities.tasks (
    tenant_id text NOT NULL,
    task_id text NOT NULL,
    title text NOT NULL,
    due_at timestamptz NOT NULL,
    assignee_id text,
    priority text NOT NULL,
    status text NOT NULL CHECK (status IN ('open', 'done')),
    person_id text,
    company_id text,
    deal_id text,
    notes text,
    reminder boolean NOT NULL,
    source_type text NOT NULL,
    rule_id text,
    firing_id text,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL,
    completed_at timestamptz,
    outcome text,
    version integer NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, task_id)
  );
  CREATE INDEX IF NOT EXISTS tasks_by_assignee
    ON activities.tasks (tenant_id, assignee_id, status, due_at);
  CREATE INDEX IF NOT EXISTS tasks_by_person ON activities.tasks (tenant_id, person_id);
  CREATE INDEX IF NOT EXISTS tasks_by_company ON activities.tasks (tenant_id, company_id);
  CREATE INDEX IF NOT EXISTS tasks_by_deal ON activities.tasks (tenant_id, deal_id);
`;

type Envelope<K extends ActivitiesEventEnvelope['type']> = Extract<
  ActivitiesEventEnvelope,
  { type: K }
>;

/** Activities and tasks as lists, fed from the activities topic. */
export class WorkProjection extends SqlProjection<ActivitiesEventEnvelope> {
  readonly name = 'activities-work';

  readonly tables = ['activities.activities', 'activities.tasks'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isActivitiesEnvelope;

  protected async project(event: ActivitiesEventEnvelope, client: PoolClient): Promise<void> {
    switch (event.type) {
      case 'ActivityLogged':
        return logActivity(event, client);
      case 'ActivityCorrected':
        return correctActivity(event, client);
      case 'ActivityDeleted':
        await client.query(
          'DELETE FROM activities.activities WHERE tenant_id = $1 AND activity_id = $2',
          [event.tenantId, event.data.activityId],
        );

        return;
      case 'TaskCreated':
        return createTask(event, client);
      default:
        return this.updateTask(event, client);
    }
  }

  private updateTask(
    event: Exclude<
      ActivitiesEventEnvelope,
      { type: 'ActivityLogged' | 'ActivityCorrected' | 'ActivityDeleted' | 'TaskCreated' }
    >,
    client: PoolClient,
  ): Promise<void> {
    const key = { tenant_id: event.tenantId, task_id: event.data.taskId };
    const update = rowUpdate(client, 'activities.tasks', key, event);
    switch (event.type) {
      case 'TaskDetailsChanged': {
        const { title, priority, reminder, personal } = event.data.changes;
        const columns = { title, priority, reminder, notes: personal?.notes };

        return update(definedOnly(columns));
      }
      case 'TaskCompleted':
        return update({
          status: 'done',
          completed_at: event.occurredAt,
          outcome: event.data.outcome,
        });
      case 'TaskReopened':
        return update({ status: 'open', completed_at: null, outcome: null });
      case 'TaskRescheduled':
        return update({ due_at: event.data.dueAt });
      case 'TaskReassigned':
        return update({ assignee_id: event.data.assigneeId });
      default:
        return assertUnreachable(event);
    }
  }
}

function definedOnly(columns: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(columns).filter(([, value]) => value !== undefined));
}

async function logActivity(event: Envelope<'ActivityLogged'>, client: PoolClient): Promise<void> {
  const { data } = event;
  await client.query(
    `INSERT INTO activities.activities (tenant_id, activity_id, kind, occurred_at, direction,
       outcome, duration_minutes, owner_id, person_id, company_id, deal_id, subject, body,
       logged_by, logged_at, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $15)
     ON CONFLICT (tenant_id, activity_id) DO NOTHING`,
    [
      event.tenantId,
      data.activityId,
      data.kind,
      event.occurredAt,
      data.direction,
      data.outcome,
      data.durationMinutes,
      data.ownerId,
      data.related.personId,
      data.related.companyId,
      data.related.dealId,
      data.personal.subject,
      data.personal.body,
      event.actor.id,
      event.recordedAt,
      event.streamVersion,
    ],
  );
}

function correctActivity(event: Envelope<'ActivityCorrected'>, client: PoolClient): Promise<void> {
  const { personal, occurredAt, direction, outcome, durationMinutes, ownerId } = event.data.changes;
  const key = { tenant_id: event.tenantId, activity_id: event.data.activityId };
  const columns = {
    occurred_at: occurredAt,
    direction,
    outcome,
    duration_minutes: durationMinutes,
    owner_id: ownerId,
    subject: personal?.subject,
    body: personal?.body,
  };

  return rowUpdate(client, 'activities.activities', key, event)(definedOnly(columns));
}

async function createTask(event: Envelope<'TaskCreated'>, client: PoolClient): Promise<void> {
  const { data } = event;
  const rule = data.source.type === 'rule' ? data.source : undefined;
  await client.query(
    `INSERT INTO activities.tasks (tenant_id, task_id, title, due_at, assignee_id, priority,
       status, person_id, company_id, deal_id, notes, reminder, source_type, rule_id, firing_id,
       created_by, created_at, version, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $10, $11, $12, $13, $14, $15, $16,
       $17, $18)
     ON CONFLICT (tenant_id, task_id) DO NOTHING`,
    [
      event.tenantId,
      data.taskId,
      data.title,
      data.dueAt,
      data.assigneeId,
      data.priority,
      data.related.personId,
      data.related.companyId,
      data.related.dealId,
      data.personal.notes,
      data.reminder,
      data.source.type,
      rule?.ruleId ?? null,
      rule?.firingId ?? null,
      event.actor.id,
      event.occurredAt,
      event.streamVersion,
      event.recordedAt,
    ],
  );
}
