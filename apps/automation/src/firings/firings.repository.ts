import { FiringView, Page, PageQuery } from '@relate/contracts';
import { pagingOf, selectPage, SqlFilter } from '@relate/service-kit';
import { Pool } from 'pg';

interface FiringRow {
  firing_id: string;
  rule_id: string;
  rule_version: number;
  trigger: FiringView['trigger'];
  conditions: FiringView['conditions'];
  record: FiringView['record'];
  actions: FiringView['actions'];
  fired_at: Date;
}

function toView(row: FiringRow): FiringView {
  return {
    id: row.firing_id,
    ruleId: row.rule_id,
    ruleVersion: row.rule_version,
    trigger: row.trigger,
    conditions: row.conditions,
    record: row.record,
    actions: row.actions,
    firedAt: row.fired_at.toISOString(),
  };
}

export class FiringsRepository {
  constructor(private readonly pool: Pool) {}

  list(tenantId: string, ruleId: string, query: PageQuery): Promise<Page<FiringView>> {
    const filter = SqlFilter.forTenant('tenant_id', tenantId).bind(ruleId, (p) => `rule_id = ${p}`);

    return selectPage(this.pool, {
      select: 'SELECT * FROM automation.firings',
      countFrom: 'automation.firings',
      filter,
      orderBy: 'fired_at DESC, firing_id',
      paging: pagingOf(query),
      toView,
    });
  }
}
