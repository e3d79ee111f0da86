import {
  AutomationEventDataMap,
  DomainEventOf,
  INITIAL_SCHEMA_VERSION,
  NewEvent,
  RuleDefinition,
} from '@relate/contracts';
import { assertUnreachable, conflict } from '@relate/errors';
import { Decider } from '@relate/service-kit';

import { assertNoViolations, ruleNotFound } from '../automation.errors';
import { definitionViolations } from './rule-definition';

export type RuleEvent = DomainEventOf<
  AutomationEventDataMap,
  'RuleDefined' | 'RuleChanged' | 'RuleDisabled' | 'RuleEnabled' | 'RuleDeleted'
>;

/**
 * The most enabled rules a tenant may have. Every event of a trigger's type is evaluated
 * against each enabled rule on it, and each firing appends events and may send mail or posts:
 * without a bound, thousands of rules turn one event into thousands of firings. Disabled
 * rules are not counted (they cost nothing), so a tenant can keep more, just not run them.
 */
export const MAX_ENABLED_RULES = 200;

export type RuleCommand =
  /** `enabledRules`: how many other rules of the tenant are enabled now (see the service). */
  | { type: 'DefineRule'; ruleId: string; definition: RuleDefinition; enabledRules: number }
  | { type: 'ChangeRule'; ruleId: string; changes: Partial<RuleDefinition> }
  | { type: 'DisableRule'; ruleId: string }
  | { type: 'EnableRule'; ruleId: string; enabledRules: number }
  | { type: 'DeleteRule'; ruleId: string };

export type RuleStatus = 'none' | 'enabled' | 'disabled' | 'deleted';

export interface RuleState {
  status: RuleStatus;
  definition: RuleDefinition | null;
}

function assertBelowLimit(enabledRules: number): void {
  if (enabledRules >= MAX_ENABLED_RULES) {
    throw conflict(
      'AUTOMATION.RULE_LIMIT_REACHED',
      `A tenant may have at most ${MAX_ENABLED_RULES} enabled rules; disable or delete one first`,
      { limit: MAX_ENABLED_RULES },
    );
  }
}

const event = <T extends RuleEvent['type']>(
  type: T,
  data: AutomationEventDataMap[T],
): NewEvent<T, AutomationEventDataMap[T]> => ({
  type,
  schemaVersion: INITIAL_SCHEMA_VERSION,
  data,
});

function decide(command: RuleCommand, state: RuleState): NewEvent[] {
  const { ruleId } = command;
  if (command.type === 'DefineRule') {
    if (state.status !== 'none') {
      throw conflict('AUTOMATION.ALREADY_EXISTS', `Rule ${ruleId} already exists`, { ruleId });
    }
    assertNoViolations(definitionViolations(command.definition));
    // A defined rule starts enabled.
    assertBelowLimit(command.enabledRules);

    return [event('RuleDefined', { ruleId, ...command.definition })];
  }
  if (state.status === 'none' || state.status === 'deleted' || state.definition === null) {
    throw ruleNotFound(ruleId);
  }
  switch (command.type) {
    case 'ChangeRule': {
      const changes = Object.fromEntries(
        Object.entries(command.changes).filter(([, value]) => value !== undefined),
      ) as Partial<RuleDefinition>;
      assertNoViolations(definitionViolations({ ...state.definition, ...changes }));

      return Object.keys(changes).length === 0 ? [] : [event('RuleChanged', { ruleId, changes })];
    }
    case 'DisableRule':
      return state.status === 'disabled' ? [] : [event('RuleDisabled', { ruleId })];
    case 'EnableRule':
      if (state.status === 'enabled') {
        return [];
      }
      assertBelowLimit(command.enabledRules);

      return [event('RuleEnabled', { ruleId })];
    case 'DeleteRule':
      return [event('RuleDeleted', { ruleId })];
    default:
      return assertUnreachable(command);
  }
}

function evolve(state: RuleState, event: RuleEvent): RuleState {
  switch (event.type) {
    case 'RuleDefined': {
      const { name, trigger, conditions, actions } = event.data;

      return { status: 'enabled', definition: { name, trigger, conditions, actions } };
    }
    case 'RuleChanged':
      return { ...state, definition: { ...state.definition!, ...event.data.changes } };
    case 'RuleDisabled':
      return { ...state, status: 'disabled' };
    case 'RuleEnabled':
      return { ...state, status: 'enabled' };
    case 'RuleDeleted':
      return { ...state, status: 'deleted' };
    default:
      return assertUnreachable(event);
  }
}

export const ruleDecider: Decider<RuleCommand, RuleState, RuleEvent> = {
  initialState: { status: 'none', definition: null },
  decide,
  evolve,
};
