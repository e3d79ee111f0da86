import { NewEvent } from '@relate/contracts';

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
