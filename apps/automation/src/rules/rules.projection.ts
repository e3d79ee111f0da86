import { AutomationEventEnvelope, EventEnvelope, isAutomationEnvelope } from '@relate/contracts';
import { SqlProjection } from '@relate/service-kit';
import { Pool, PoolClient } from 'pg';

import { ruleDecider, RuleEvent, RuleState } from './rule.decider';

const MIGRATION = `
  CREATE SCHEMA IF NOT EXISTS automation;
  CREATE TABLE IF NOT EXISTS automation.rules (
    tenant_id text NOT NULL,
    rule_id text NOT NULL,
    status text NOT NULL,
    event_type text NOT NULL,
    definition jsonb NOT NULL,
    version integer NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, rule_id)
  );
  CREATE INDEX IF NOT EXISTS rules_by_trigger ON automation.rules (tenant_id, event_type, status);
`;

const RULE_TYPES = ['RuleDefined', 'RuleChanged', 'RuleDisabled', 'RuleEnabled', 'RuleDeleted'];

export interface RuleRow {
  rule_id: string;
  status: RuleState['status'];
  definition: NonNullable<RuleState['definition']>;
  version: number;
  created_at: Date;
  updated_at: Date;
}

/** Writes a rule's state at a version, unless the row already holds that version or later. */
async function upsert(
  db: Pool | PoolClient,
  tenantId: string,
  ruleId: string,
  state: RuleState,
  version: number,
  createdAt: string,
  updatedAt: string,
): Promise<void> {
  await db.query(
    `INSERT INTO automation.rules (tenant_id, rule_id, status, event_type, definition, version,
       created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (tenant_id, rule_id) DO UPDATE SET status = EXCLUDED.status,
       event_type = EXCLUDED.event_type, definition = EXCLUDED.definition,
       version = EXCLUDED.version, updated_at = EXCLUDED.updated_at
     WHERE automation.rules.version < EXCLUDED.version`,
    [
      tenantId,
      ruleId,
      state.status,
      state.definition!.trigger.eventType,
      JSON.stringify(state.definition),
      version,
      createdAt,
      updatedAt,
    ],
  );
}

/**
 * Writes the rule table from a rule's whole stream, right after a command appended to it and
 * before the command answers: so the rule engine, which reads this table, applies a rule from
 * the first event committed after the answer. The projection below writes the same rows from
 * the topic (the same fold of the same events), so a rebuild gives the same table, and a
 * crash between the append and this write is repaired when the projection catches up.
 */
export async function writeRuleThrough(pool: Pool, events: EventEnvelope[]): Promise<void> {
  const ruleEvents = events as unknown as Array<RuleEvent & EventEnvelope>;
  const last = ruleEvents.at(-1);
  if (last === undefined) {
    return;
  }
  const state = ruleEvents.reduce(ruleDecider.evolve, ruleDecider.initialState);
  const ruleId = last.data.ruleId;
  await upsert(
    pool,
    last.tenantId,
    ruleId,
    state,
    last.streamVersion,
    ruleEvents[0].recordedAt,
    last.recordedAt,
  );
}

/**
 * Rules by tenant and trigger, fed from the automation topic (and written through). The rule
 * engine reads this table; it is a reactor, so a rebuild pauses it until the table is whole
 * again: events wait and fire late, none is judged against half the rules.
 */
export class RulesProjection extends SqlProjection<AutomationEventEnvelope> {
  readonly name = 'automation-rules';
  readonly tables = ['automation.rules'];

  protected readonly migration = MIGRATION;

  protected readonly accepts = isAutomationEnvelope;

  protected async project(event: AutomationEventEnvelope, client: PoolClient): Promise<void> {
    if (!RULE_TYPES.includes(event.type)) {
      return;
    }
    const ruleEvent = event as unknown as RuleEvent & EventEnvelope;
    const { rows } = await client.query<RuleRow>(
      'SELECT * FROM automation.rules WHERE tenant_id = $1 AND rule_id = $2 FOR UPDATE',
      [event.tenantId, ruleEvent.data.ruleId],
    );
    const row = rows[0];
    if (row !== undefined && row.version >= event.streamVersion) {
      return;
    }
    const before: RuleState = row
      ? { status: row.status, definition: row.definition }
      : ruleDecider.initialState;
    const after = ruleDecider.evolve(before, ruleEvent);
    const createdAt = row ? row.created_at.toISOString() : event.recordedAt;
    await upsert(
      client,
      event.tenantId,
      ruleEvent.data.ruleId,
      after,
      event.streamVersion,
      createdAt,
      event.recordedAt,
    );
  }
}
