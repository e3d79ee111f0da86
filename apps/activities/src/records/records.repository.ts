import { EngagementView, Page, StaleRecordView, TimelineItem } from '@relate/contracts';
import { Paging } from '@relate/service-kit';
import { Pool } from 'pg';

export type RecordType = 'person' | 'company' | 'deal';

/** The column of activities and tasks that names each kind of record. */
const RELATION_COLUMN: Record<RecordType, string> = {
  person: 'person_id',
  company: 'company_id',
  deal: 'deal_id',
};

/** Kinds of activity that count as contact with the customer; a note does not. */
const CONTACT_KINDS = ['call', 'email', 'meeting'];

/**
 * Which rows of activities (or tasks) aliased `alias` concern a record `$2` of tenant `$1`: a
 * company's are its own, its people's and its deals' (people and deals as linked now).
 */
function concerns(type: RecordType, alias: string, recordId = '$2', tenantId = '$1'): string {
  const own = `${alias}.${RELATION_COLUMN[type]} = ${recordId}`;
  if (type !== 'company') {
    return own;
  }
  const members = (memberType: RecordType) =>
    `SELECT m.record_id FROM activities.records m WHERE m.tenant_id = ${tenantId}
       AND m.record_type = '${memberType}' AND m.company_id = ${recordId}`;

  return `(${own} OR ${alias}.person_id IN (${members('person')})
    OR ${alias}.deal_id IN (${members('deal')}))`;
}

/**
 * A record's activities and tasks are the ones that concern it as its engagement counts them
 * (a company's include its people's and deals'), so the two always agree; its changes are its
 * own.
 */
const TIMELINE = (type: RecordType) => `
  WITH items AS (
    SELECT a.occurred_at AS at, 'activity' AS kind, a.kind AS type,
      concat_ws(' · ', upper(left(concat_ws(' ', a.direction, a.kind), 1))
        || substr(concat_ws(' ', a.direction, a.kind), 2), a.subject, a.outcome)
        AS summary,
      a.activity_id AS id, a.logged_by AS actor_id
    FROM activities.activities a
    WHERE a.tenant_id = $1 AND ${concerns(type, 'a')}
    UNION ALL
    SELECT coalesce(t.completed_at, t.created_at), 'task',
      CASE WHEN t.status = 'done' THEN 'TaskCompleted' ELSE 'TaskCreated' END,
      concat_ws(' · ', 'Task: ' || t.title, CASE WHEN t.status = 'done' THEN 'done'
        ELSE 'due ' || to_char(t.due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') || ' UTC' END),
      t.task_id, t.created_by
    FROM activities.tasks t
    WHERE t.tenant_id = $1 AND ${concerns(type, 't')}
    UNION ALL
    SELECT c.at, 'change', c.type,
      CASE
        WHEN c.type = 'DealMovedToStage' THEN 'Stage changed from '
          || coalesce(f.name, 'an unknown stage') || ' to ' || coalesce(s.name, 'an unknown stage')
        WHEN c.type = 'DealOpened' AND c.record_type = 'deal' AND s.name IS NOT NULL
          THEN 'Deal opened in ' || s.name
        ELSE c.summary
      END,
      c.event_id, c.actor_id
    FROM activities.record_changes c
    LEFT JOIN activities.stage_names f ON f.tenant_id = c.tenant_id
      AND f.pipeline_id = c.pipeline_id AND f.stage_id = c.from_stage_id
    LEFT JOIN activities.stage_names s ON s.tenant_id = c.tenant_id
      AND s.pipeline_id = c.pipeline_id AND s.stage_id = c.to_stage_id
    WHERE c.tenant_id = $1 AND c.record_type = '${type}' AND c.record_id = $2
  )`;

interface TimelineRow {
  at: Date;
  kind: TimelineItem['kind'];
  type: string;
  summary: string;
  id: string;
  actor_id: string | null;
}

interface StaleRow {
  record_type: RecordType;
  record_id: string;
  name: string | null;
  owner_id: string | null;
  last_activity_at: Date | null;
  created_at: Date;
}

/** Reads across the activities, tasks and records read models, scoped to one tenant. */
export class RecordsRepository {
  constructor(private readonly pool: Pool) {}

  async exists(tenantId: string, type: RecordType, recordId: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `SELECT 1 FROM activities.records
       WHERE tenant_id = $1 AND record_type = $2 AND record_id = $3`,
      [tenantId, type, recordId],
    );

    return (rowCount ?? 0) > 0;
  }

  /** Newest first; ties by id, so that pages never overlap. */
  async timeline(
    tenantId: string,
    type: RecordType,
    recordId: string,
    paging: Paging,
  ): Promise<Page<TimelineItem>> {
    const values = [tenantId, recordId];
    const [items, count] = await Promise.all([
      this.pool.query<TimelineRow>(
        `${TIMELINE(type)} SELECT * FROM items ORDER BY at DESC, id DESC
         LIMIT ${paging.limit} OFFSET ${paging.offset}`,
        values,
      ),
      this.pool.query<{ total: string }>(
        `${TIMELINE(type)} SELECT count(*) AS total FROM items`,
        values,
      ),
    ]);

    return {
      items: items.rows.map((row) => ({
        at: row.at.toISOString(),
        kind: row.kind,
        type: row.type,
        summary: row.summary,
        id: row.id,
        actorId: row.actor_id,
      })),
      page: paging.page,
      limit: paging.limit,
      total: Number(count.rows[0].total),
    };
  }

  async engagement(tenantId: string, type: RecordType, recordId: string): Promise<EngagementView> {
    const values = [tenantId, recordId, CONTACT_KINDS];
    const [contact, next] = await Promise.all([
      this.pool.query<{ activity_id: string; occurred_at: Date }>(
        `SELECT a.activity_id, a.occurred_at FROM activities.activities a
         WHERE a.tenant_id = $1 AND a.kind = ANY($3::text[]) AND ${concerns(type, 'a')}
         ORDER BY a.occurred_at DESC, a.activity_id DESC LIMIT 1`,
        values,
      ),
      this.pool.query<{ task_id: string; due_at: Date }>(
        `SELECT t.task_id, t.due_at FROM activities.tasks t
         WHERE t.tenant_id = $1 AND t.status = 'open' AND ${concerns(type, 't')}
         ORDER BY t.due_at, t.task_id LIMIT 1`,
        values.slice(0, 2),
      ),
    ]);
    const last = contact.rows[0];
    const task = next.rows[0];

    return {
      lastContactedAt: last?.occurred_at.toISOString() ?? null,
      lastActivityId: last?.activity_id ?? null,
      nextStepAt: task?.due_at.toISOString() ?? null,
      nextTaskId: task?.task_id ?? null,
    };
  }

  /**
   * TODO(#3): the last activity is found per record at read time (three relation columns, a
   * company's through its people and deals); an owner with tens of thousands of records needs
   * a last-activity table, which must then be kept without depending on stream order.
   *
   * Open deals, or active people and companies, of an owner whose last activity of any kind
   * (notes too: someone worked on it), else their creation, is before `before`.
   */
  async stale(
    tenantId: string,
    ownerId: string,
    types: RecordType[],
    before: Date,
    limit: number,
  ): Promise<StaleRecordView[]> {
    const { rows } = await this.pool.query<StaleRow>(
      `SELECT r.record_type, r.record_id, r.owner_id, r.created_at, last.at AS last_activity_at,
         coalesce(r.name, concat_ws(' ', r.first_name, r.last_name)) AS name
       FROM activities.records r
       LEFT JOIN LATERAL (
         SELECT max(a.occurred_at) AS at FROM activities.activities a
         WHERE a.tenant_id = r.tenant_id AND CASE r.record_type
           WHEN 'deal' THEN a.deal_id = r.record_id
           WHEN 'person' THEN a.person_id = r.record_id
           ELSE ${concerns('company', 'a', 'r.record_id', 'r.tenant_id')} END
       ) last ON true
       WHERE r.tenant_id = $1 AND r.owner_id = $2 AND r.record_type = ANY($3::text[])
         AND r.status IN ('open', 'active') AND coalesce(last.at, r.created_at) < $4
       ORDER BY coalesce(last.at, r.created_at), r.record_type, r.record_id
       LIMIT ${limit}`,
      [tenantId, ownerId, types, before],
    );

    return rows.map((row) => ({
      type: row.record_type,
      id: row.record_id,
      name: row.name ?? '',
      ownerId: row.owner_id,
      lastActivityAt: row.last_activity_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
    }));
  }
}
