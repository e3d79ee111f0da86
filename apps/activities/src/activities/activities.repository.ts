import { ActivityKind, ActivityListQuery, ActivityView, Page } from '@relate/contracts';
import { pagingOf, selectOne, selectPage, SqlFilter } from '@relate/service-kit';
import { Pool } from 'pg';

import { rangeBoundOf } from '../activities.rules';

interface ActivityRow {
  activity_id: string;
  kind: ActivityKind;
  occurred_at: Date;
  direction: ActivityView['direction'];
  outcome: string | null;
  duration_minutes: number | null;
  owner_id: string | null;
  person_id: string | null;
  company_id: string | null;
  deal_id: string | null;
  subject: string | null;
  body: string | null;
  logged_by: string;
  logged_at: Date;
  version: number;
}

const ACTIVITIES = 'SELECT * FROM activities.activities a';

const EQUALITY_FILTERS = [
  ['personId', 'a.person_id'],
  ['companyId', 'a.company_id'],
  ['dealId', 'a.deal_id'],
  ['ownerId', 'a.owner_id'],
  ['kind', 'a.kind'],
] as const;

function toView(row: ActivityRow): ActivityView {
  return {
    id: row.activity_id,
    kind: row.kind,
    occurredAt: row.occurred_at.toISOString(),
    direction: row.direction,
    outcome: row.outcome,
    durationMinutes: row.duration_minutes,
    ownerId: row.owner_id,
    personId: row.person_id,
    companyId: row.company_id,
    dealId: row.deal_id,
    subject: row.subject,
    body: row.body,
    loggedBy: row.logged_by,
    loggedAt: row.logged_at.toISOString(),
    version: row.version,
  };
}

function filterOf(tenantId: string, query: ActivityListQuery): SqlFilter {
  const filter = SqlFilter.forTenant('a.tenant_id', tenantId);
  for (const [field, column] of EQUALITY_FILTERS) {
    filter.equalsIfGiven(column, query[field]);
  }
  if (query.from !== undefined) {
    const from = rangeBoundOf('from', query.from, 'from');
    filter.bind(from, (bound) => `a.occurred_at >= ${bound}::timestamptz`);
  }
  if (query.to !== undefined) {
    const to = rangeBoundOf('to', query.to, 'to');
    filter.bind(to, (bound) => `a.occurred_at <= ${bound}::timestamptz`);
  }

  return filter;
}

/** Reads of the activities read model; every query is scoped to one tenant. */
export class ActivitiesRepository {
  constructor(private readonly pool: Pool) {}

  find(tenantId: string, activityId: string): Promise<ActivityView | undefined> {
    const sql = `${ACTIVITIES} WHERE a.tenant_id = $1 AND a.activity_id = $2`;

    return selectOne(this.pool, sql, [tenantId, activityId], toView);
  }

  list(tenantId: string, query: ActivityListQuery): Promise<Page<ActivityView>> {
    return selectPage(this.pool, {
      select: ACTIVITIES,
      countFrom: 'activities.activities a',
      filter: filterOf(tenantId, query),
      orderBy: 'a.occurred_at DESC, a.activity_id DESC',
      paging: pagingOf(query),
      toView,
    });
  }
}
