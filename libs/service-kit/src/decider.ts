import { MAX_MONEY_AMOUNT, NewEvent } from '@relate/contracts';
import { FieldViolation } from '@relate/errors';

/**
 * An aggregate's business rules as pure functions: `decide` turns a command and the current
 * state into new events (or throws a RelateError), `evolve` folds an event into the state.
 * `now` is passed in so that rules about time stay deterministic in tests.
 */
export interface Decider<TCommand, TState, TEvent extends { type: string; data: unknown }> {
  readonly initialState: TState;
  decide(command: TCommand, state: TState, now: Date): NewEvent[];
  evolve(state: TState, event: TEvent): TState;
}

export function foldEvents<TState, TEvent extends { type: string; data: unknown }>(
  decider: Decider<unknown, TState, TEvent>,
  events: readonly TEvent[],
): TState {
  return events.reduce((state, event) => decider.evolve(state, event), decider.initialState);
}

const CENTS = /^\d+(?:\.\d{1,2})?$/;

/** Why a money amount cannot be stored (none for null or undefined, which mean "no amount"). */
export function moneyViolations(
  field: string,
  amount: number | null | undefined,
): FieldViolation[] {
  if (amount == null) {
    return [];
  }
  if (typeof amount !== 'number' || !Number.isFinite(amount)) {
    return [{ field, reason: 'must be a number' }];
  }
  if (amount < 0) {
    return [{ field, reason: 'must not be negative' }];
  }
  if (amount > MAX_MONEY_AMOUNT) {
    return [{ field, reason: `must not be greater than ${MAX_MONEY_AMOUNT}` }];
  }

  return CENTS.test(String(amount))
    ? []
    : [{ field, reason: 'must have at most 2 decimal places' }];
}
