import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';

import {
  AutomationStreams,
  ChangeRuleRequest,
  CommandContext,
  DefineRuleRequest,
  RuleAction,
  ruleStreamId,
  WriteResult,
} from '@relate/contracts';
import { FieldViolation } from '@relate/errors';
import { IdGenerator, PostgresEventStore } from '@relate/event-store';
import {
  AggregateRepository,
  CommandTarget,
  EventSourcedRepository,
  ID_GENERATOR,
} from '@relate/service-kit';

import { assertNoViolations } from '../automation.errors';
import { actionOf, triggerOf } from './rule-definition';
import { RuleCommand, ruleDecider, RuleState } from './rule.decider';
import { writeRuleThrough } from './rules.projection';

/** Rule commands: load, decide, append, then write the rule table through (see there). */
@Injectable()
export class RulesService {
  private readonly rules: AggregateRepository<RuleCommand, RuleState>;

  constructor(
    repository: EventSourcedRepository,
    private readonly store: PostgresEventStore,
    private readonly pool: Pool,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.rules = repository.of(ruleDecider, AutomationStreams.rule);
  }

  async define(context: CommandContext, request: DefineRuleRequest): Promise<WriteResult> {
    const ruleId = request.id ?? this.ids.next();
    const definition = {
      name: request.name?.trim(),
      trigger: request.trigger ? triggerOf(request.trigger) : triggerOf({ eventType: '' }),
      conditions: request.conditions ?? [],
      actions: Array.isArray(request.actions) ? request.actions.map(actionOf) : [],
    };

    await this.assertReferencesExist(context.tenantId, definition.actions);

    return this.run({ context, id: ruleId }, { type: 'DefineRule', ruleId, definition });
  }

  async change(target: CommandTarget, request: ChangeRuleRequest): Promise<WriteResult> {
    const changes = {
      name: request.name?.trim(),
      trigger: request.trigger ? triggerOf(request.trigger) : undefined,
      conditions: request.conditions,
      actions: request.actions?.map(actionOf),
    };

    await this.assertReferencesExist(target.context.tenantId, changes.actions ?? []);

    return this.run(target, { type: 'ChangeRule', ruleId: target.id, changes });
  }

  disable(target: CommandTarget): Promise<WriteResult> {
    return this.run(target, { type: 'DisableRule', ruleId: target.id });
  }

  enable(target: CommandTarget): Promise<WriteResult> {
    return this.run(target, { type: 'EnableRule', ruleId: target.id });
  }

  delete(target: CommandTarget): Promise<WriteResult> {
    return this.run(target, { type: 'DeleteRule', ruleId: target.id });
  }

  /** Email templates and webhook subscriptions the actions name must exist in the tenant. */
  private async assertReferencesExist(tenantId: string, actions: RuleAction[]): Promise<void> {
    if (!Array.isArray(actions)) {
      return;
    }
    const violations: FieldViolation[] = [];
    for (const [index, action] of actions.entries()) {
      if (action?.type === 'sendEmail' && typeof action.templateId === 'string') {
        const { rowCount } = await this.pool.query(
          'SELECT 1 FROM automation.email_templates WHERE tenant_id = $1 AND template_id = $2',
          [tenantId, action.templateId],
        );
        if (rowCount === 0) {
          violations.push({
            field: `actions[${index}].templateId`,
            reason: 'no such email template',
          });
        }
      }
      if (action?.type === 'webhook' && typeof action.subscriptionId === 'string') {
        const { rowCount } = await this.pool.query(
          `SELECT 1 FROM automation.webhooks
           WHERE tenant_id = $1 AND subscription_id = $2 AND active`,
          [tenantId, action.subscriptionId],
        );
        if (rowCount === 0) {
          violations.push({ field: `actions[${index}].subscriptionId`, reason: 'no such webhook' });
        }
      }
    }
    assertNoViolations(violations);
  }

  private async run(target: CommandTarget, command: RuleCommand): Promise<WriteResult> {
    const result = await this.rules.execute(target, command);
    const { tenantId } = target.context;
    await writeRuleThrough(
      this.pool,
      await this.store.readStream(tenantId, ruleStreamId(tenantId, target.id)),
    );

    return result;
  }
}
