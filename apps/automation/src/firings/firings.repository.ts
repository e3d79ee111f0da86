import {
  FiringActionStatus,
  FiringActionView,
  FiringView,
  Page,
  PageQuery,
  RuleAction,
} from '@relate/contracts';
import { pagingOf, selectPage, SqlFilter } from '@relate/service-kit';
import { Pool } from 'pg';

import { StoredFiringAction } from './firings.projection';

interface FiringRow {
  firing_id: string;
  rule_id: string;
  rule_version: number;
  trigger: FiringView['trigger'];
  conditions: FiringView['conditions'];
  record: FiringView['record'];
  actions: StoredFiringAction[];
  fired_at: Date;
}

interface OutcomeRow {
  result_id: string;
  status: FiringActionStatus;
  reason: string | null;
}

/** Each firing event's action, and where it stands until an outcome is known. */
const ACTIONS: Record<string, [RuleAction['type'], FiringActionStatus]> = {
  FollowUpTaskRequested: ['createTask', 'requested'],
  EmailQueued: ['sendEmail', 'queued'],
  NotificationCreated: ['notify', 'created'],
  WebhookQueued: ['webhook', 'queued'],
};

function actionView(
  stored: StoredFiringAction,
  outcomes: Map<string, OutcomeRow>,
): FiringActionView {
  const type = stored.type as FiringActionView['type'];
  if (type === 'RuleActionSkipped') {
    return {
      type,
      action: stored.action!,
      resultId: null,
      status: 'skipped',
      reason: stored.reason ?? null,
    };
  }
  const [action, pending] = ACTIONS[type];
  const outcome = stored.resultId === null ? undefined : outcomes.get(stored.resultId);

  return {
    type,
    action,
    resultId: stored.resultId,
    status: outcome?.status ?? pending,
    reason: outcome?.reason ?? null,
  };
}

export class FiringsRepository {
  constructor(private readonly pool: Pool) {}

  async list(tenantId: string, ruleId: string, query: PageQuery): Promise<Page<FiringView>> {
    const filter = SqlFilter.forTenant('tenant_id', tenantId).bind(ruleId, (p) => `rule_id = ${p}`);
    const page = await selectPage(this.pool, {
      select: 'SELECT * FROM automation.firings',
      countFrom: 'automation.firings',
      filter,
      orderBy: 'fired_at DESC, firing_id',
      paging: pagingOf(query),
      toView: (row: FiringRow) => row,
    });
    const resultIds = page.items.flatMap((row) =>
      row.actions.flatMap((action) => (action.resultId === null ? [] : [action.resultId])),
    );
    const { rows } = await this.pool.query<OutcomeRow>(
      `SELECT result_id, status, reason FROM automation.firing_action_outcomes
       WHERE tenant_id = $1 AND result_id = ANY($2::text[])`,
      [tenantId, resultIds],
    );
    const outcomes = new Map(rows.map((row) => [row.result_id, row]));

    return {
      ...page,
      items: page.items.map((row) => ({
        id: row.firing_id,
        ruleId: row.rule_id,
        ruleVersion: row.rule_version,
        trigger: row.trigger,
        conditions: row.conditions,
        record: row.record,
        actions: row.actions.map((action) => actionView(action, outcomes)),
        firedAt: row.fired_at.toISOString(),
      })),
    };
  }
}
