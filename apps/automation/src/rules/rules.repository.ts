import { Page, RuleListQuery, RuleView } from '@relate/contracts';
import { flagOf, pagingOf, selectOne, selectPage, SqlFilter } from '@relate/service-kit';
import { Pool } from 'pg';

import { RuleRow } from './rules.projection';

function toView(row: RuleRow): RuleView {
  return {
    id: row.rule_id,
    ...row.definition,
    enabled: row.status === 'enabled',
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Reads of the rule table; deleted rules are gone. */
export class RulesRepository {
  constructor(private readonly pool: Pool) {}

  find(tenantId: string, ruleId: string): Promise<RuleView | undefined> {
    const sql = `SELECT * FROM automation.rules
      WHERE tenant_id = $1 AND rule_id = $2 AND status <> 'deleted'`;

    return selectOne(this.pool, sql, [tenantId, ruleId], toView);
  }

  list(tenantId: string, query: RuleListQuery): Promise<Page<RuleView>> {
    const filter = SqlFilter.forTenant('tenant_id', tenantId).and(`status <> 'deleted'`);
    if (query.enabled !== undefined) {
      filter.bind(flagOf(query.enabled) ? 'enabled' : 'disabled', (p) => `status = ${p}`);
    }

    return selectPage(this.pool, {
      select: 'SELECT * FROM automation.rules',
      countFrom: 'automation.rules',
      filter,
      orderBy: 'created_at, rule_id',
      paging: pagingOf(query),
      toView,
    });
  }
}
