import { RuleDefinition } from '@relate/contracts';
import { deciderSpecification } from '@relate/service-kit';

import { MAX_ENABLED_RULES, ruleDecider, RuleEvent } from './rule.decider';

const ruleId = '0190a0b0-0000-7000-8000-00000000c001';

const definition: RuleDefinition = {
  name: 'Big deals get a call',
  trigger: { eventType: 'DealMovedToStage', toStageId: 'stage-demo', field: null },
  conditions: [{ type: 'valueAbove', amount: 1000 }],
  actions: [
    {
      type: 'createTask',
      title: 'Call about {{deal.title}}',
      dueInDays: 2,
      assignTo: 'owner',
      priority: 'high',
    },
  ],
};

const defined: RuleEvent = { type: 'RuleDefined', data: { ruleId, ...definition } };

describe('ruleDecider', () => {
  const spec = deciderSpecification(ruleDecider);

  it('defines a rule', () => {
    spec
      .given([])
      .when({ type: 'DefineRule', ruleId, definition, enabledRules: 0 })
      .then([{ type: 'RuleDefined', data: { ruleId, ...definition } }]);
  });

  it('refuses a definition field by field', () => {
    spec
      .given([])
      .when({
        type: 'DefineRule',
        ruleId,
        enabledRules: 0,
        definition: {
          name: ' ',
          trigger: { eventType: 'DealRenamed', toStageId: 's', field: 'value' },
          conditions: [{ type: 'valueAbove', amount: 'x' as unknown as number }],
          actions: [
            {
              type: 'createTask',
              title: '{{deal.nope}}',
              dueInDays: -1,
              assignTo: 'owner',
              priority: 'normal',
            },
            { type: 'sendEmail', templateId: 't', to: 'not-an-address' },
          ],
        },
      })
      .thenThrows({
        code: 'AUTOMATION.VALIDATION_FAILED',
        category: 'validation',
        violations: [
          { field: 'name', reason: 'must be a non-empty string' },
          { field: 'trigger.toStageId', reason: expect.stringContaining('applies only to') },
          { field: 'trigger.field', reason: 'must be one of title' },
          { field: 'conditions[0].amount', reason: 'must be a number' },
          { field: 'actions[0].title', reason: 'unknown placeholder {{deal.nope}}' },
          { field: 'actions[0].dueInDays', reason: 'must be an integer 0..365' },
          { field: 'actions[1].to', reason: 'must be "owner" or an email address' },
        ],
      });
  });

  it('refuses unknown fields, a notify to over 50 users, an assignee no query can name', () => {
    // Accepted before: junk stored in the rule's events, and one trigger event fanned out into
    // thousands of NotificationCreated events (one per user) that the projections lagged on.
    const users = Array.from({ length: 51 }, (_, i) => `rep-${i}`);
    spec
      .given([])
      .when({
        type: 'DefineRule',
        ruleId,
        enabledRules: 0,
        definition: {
          ...definition,
          conditions: [{ type: 'ownerIs', ownerId: 'rep-a', junk: 'x' } as never],
          actions: [
            { ...definition.actions[0], assignTo: 'a b', extra: { deep: 1 } } as never,
            { type: 'notify', users, message: 'm' },
            { type: 'notify', users: ['rep-1', 'x\ny'], message: 'm' },
          ],
        },
      })
      .thenThrows({
        code: 'AUTOMATION.VALIDATION_FAILED',
        category: 'validation',
        violations: [
          { field: 'conditions[0].junk', reason: 'is not a field of this type' },
          { field: 'actions[0].assignTo', reason: expect.stringContaining('rep id') },
          { field: 'actions[0].extra', reason: 'is not a field of this type' },
          { field: 'actions[1].users', reason: 'must name at most 50 users' },
          { field: 'actions[2].users[1]', reason: expect.stringContaining('rep id') },
        ],
      });
    spec
      .given([])
      .when({
        type: 'DefineRule',
        ruleId,
        enabledRules: 0,
        definition: {
          ...definition,
          actions: [{ type: 'notify', users: users.slice(1), message: 'm' }],
        },
      })
      .then([
        {
          type: 'RuleDefined',
          data: {
            ruleId,
            ...definition,
            actions: [{ type: 'notify', users: users.slice(1), message: 'm' }],
          },
        },
      ]);
  });

  it('refuses an unknown trigger event type', () => {
    spec
      .given([])
      .when({
        type: 'DefineRule',
        ruleId,
        enabledRules: 0,
        definition: {
          ...definition,
          trigger: { eventType: 'RuleFired', toStageId: null, field: null },
        },
      })
      .thenThrows({
        code: 'AUTOMATION.VALIDATION_FAILED',
        category: 'validation',
        violations: [{ field: 'trigger.eventType', reason: 'must be a known event type' }],
      });
  });

  it('changes only what changed, validating the result', () => {
    spec
      .given([defined])
      .when({ type: 'ChangeRule', ruleId, changes: { name: 'Renamed', conditions: undefined } })
      .then([{ type: 'RuleChanged', data: { ruleId, changes: { name: 'Renamed' } } }]);
    spec
      .given([defined])
      .when({ type: 'ChangeRule', ruleId, changes: { actions: [] } })
      .thenThrows({
        code: 'AUTOMATION.VALIDATION_FAILED',
        category: 'validation',
        violations: [{ field: 'actions', reason: 'must hold at least one action' }],
      });
  });

  it('disables and enables, each only once', () => {
    spec
      .given([defined])
      .when({ type: 'DisableRule', ruleId })
      .then([{ type: 'RuleDisabled', data: { ruleId } }]);
    spec
      .given([defined, { type: 'RuleDisabled', data: { ruleId } }])
      .when({ type: 'DisableRule', ruleId })
      .then([]);
    spec
      .given([defined, { type: 'RuleDisabled', data: { ruleId } }])
      .when({ type: 'EnableRule', ruleId, enabledRules: 0 })
      .then([{ type: 'RuleEnabled', data: { ruleId } }]);
  });

  it('deletes a rule, which then is gone', () => {
    spec
      .given([defined])
      .when({ type: 'DeleteRule', ruleId })
      .then([{ type: 'RuleDeleted', data: { ruleId } }]);
    spec
      .given([defined, { type: 'RuleDeleted', data: { ruleId } }])
      .when({ type: 'EnableRule', ruleId, enabledRules: 0 })
      .thenThrows({ code: 'AUTOMATION.RULE_NOT_FOUND', category: 'not_found' });
  });

  it('refuses to define a rule twice', () => {
    spec
      .given([defined])
      .when({ type: 'DefineRule', ruleId, definition, enabledRules: 0 })
      .thenThrows({ code: 'AUTOMATION.ALREADY_EXISTS', category: 'conflict' });
  });

  it('bounds the enabled rules of a tenant: defining or enabling one more is refused', () => {
    const limitReached = {
      code: 'AUTOMATION.RULE_LIMIT_REACHED',
      category: 'conflict',
    };
    spec
      .given([])
      .when({ type: 'DefineRule', ruleId, definition, enabledRules: MAX_ENABLED_RULES })
      .thenThrows(limitReached);
    spec
      .given([])
      .when({ type: 'DefineRule', ruleId, definition, enabledRules: MAX_ENABLED_RULES - 1 })
      .then([{ type: 'RuleDefined', data: { ruleId, ...definition } }]);
    const disabled: RuleEvent[] = [defined, { type: 'RuleDisabled', data: { ruleId } }];
    spec
      .given(disabled)
      .when({ type: 'EnableRule', ruleId, enabledRules: MAX_ENABLED_RULES })
      .thenThrows(limitReached);
    // Enabling a rule that already is enabled changes nothing, at the limit too.
    spec
      .given([defined])
      .when({ type: 'EnableRule', ruleId, enabledRules: MAX_ENABLED_RULES })
      .then([]);
  });
});
