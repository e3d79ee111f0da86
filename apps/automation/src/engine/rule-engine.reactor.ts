import {
  AUTOMATION_ACTOR,
  AutomationStreams,
  EventEnvelope,
  firingStreamId,
  isActivitiesEnvelope,
  isContactsEnvelope,
  isPipelineEnvelope,
  RuleDefinition,
} from '@relate/contracts';
import { Projection } from '@relate/messaging';
import { assertKnownSchema } from '@relate/service-kit';
import { PoolClient } from 'pg';

import { automationLogger, AutomationWiring, isWrongVersion } from '../automation.wiring';
import {
  ENGINE_STATE_MIGRATION,
  EngineRecord,
  recordOf,
  repEmail,
  trackState,
} from './engine-state';
import { evaluateConditions, firingEvents, triggerMatches } from './evaluate';

interface EnabledRule {
  rule_id: string;
  version: number;
  definition: RuleDefinition;
}

/** Whether the automation service caused an event: rules never react to it (loop guard). */
export function causedByAutomation(event: EventEnvelope): boolean {
  return event.actor.type === AUTOMATION_ACTOR.type && event.actor.id === AUTOMATION_ACTOR.id;
}

/**
 * The rule engine: for each event of the contacts, pipeline and activities topics not caused by
 * automation, evaluates the tenant's enabled rules and appends one firing stream per match.
 * The firing id comes from the rule and the trigger event, and the firing stream must not exist
 * yet: a redelivered event (crash before the runner committed) fires nothing new.
 */
export class RuleEngineReactor implements Projection {
  readonly name = 'automation-rule-engine';

  private readonly logger = automationLogger(RuleEngineReactor.name);

  constructor(
    readonly topics: string[],
    private readonly wiring: AutomationWiring,
  ) {}

  async migrate(client: PoolClient): Promise<void> {
    await client.query(ENGINE_STATE_MIGRATION);
  }

  async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    if (!isContactsEnvelope(event) && !isPipelineEnvelope(event) && !isActivitiesEnvelope(event)) {
      return;
    }
    assertKnownSchema(event);
    await trackState(event, client);
    if (causedByAutomation(event)) {
      return;
    }
    const { rows: rules } = await client.query<EnabledRule>(
      `SELECT rule_id, version, definition FROM automation.rules
       WHERE tenant_id = $1 AND event_type = $2 AND status = 'enabled' ORDER BY rule_id`,
      [event.tenantId, event.type],
    );
    const matching = rules.filter((rule) => triggerMatches(rule.definition.trigger, event));
    if (matching.length === 0) {
      return;
    }
    const record = await recordOf(event, client);
    for (const rule of matching) {
      await this.consider(rule, event, record, client);
    }
  }

  private async consider(
    rule: EnabledRule,
    event: EventEnvelope,
    record: EngineRecord,
    client: PoolClient,
  ): Promise<void> {
    const conditions = evaluateConditions(rule.definition.conditions, record);
    if (!conditions.every((seen) => seen.passed)) {
      return;
    }
    const templateIds = rule.definition.actions.flatMap((a) =>
      a.type === 'sendEmail' ? [a.templateId] : [],
    );
    const { firingId, events } = firingEvents({
      ruleId: rule.rule_id,
      ruleVersion: rule.version,
      rule: rule.definition,
      event,
      record,
      conditions,
      ownerEmail: await repEmail(client, event.tenantId, record.ownerId),
      templates: await templatesOf(client, event.tenantId, templateIds),
    });
    try {
      await this.wiring.store.append(
        firingStreamId(event.tenantId, firingId),
        AutomationStreams.firing.type,
        events,
        {
          expectedVersion: 'no_stream',
          context: {
            tenantId: event.tenantId,
            actor: AUTOMATION_ACTOR,
            correlationId: event.correlationId,
            causationId: event.id,
            traceparent: event.traceparent,
          },
        },
      );
      this.logger.log('rule fired', {
        ruleId: rule.rule_id,
        firingId,
        eventId: event.id,
        actions: events.length - 1,
      });
    } catch (error) {
      if (!isWrongVersion(error)) {
        throw error;
      }
      // The firing exists: this event was delivered again after the rule had fired on it.
      this.logger.log('rule already fired on this event', { ruleId: rule.rule_id, firingId });
    }
  }
}

async function templatesOf(
  client: PoolClient,
  tenantId: string,
  templateIds: string[],
): Promise<Record<string, { subject: string; body: string }>> {
  if (templateIds.length === 0) {
    return {};
  }
  const { rows } = await client.query<{ template_id: string; subject: string; body: string }>(
    `SELECT template_id, subject, body FROM automation.email_templates
     WHERE tenant_id = $1 AND template_id = ANY($2)`,
    [tenantId, templateIds],
  );

  return Object.fromEntries(rows.map((row) => [row.template_id, row]));
}
