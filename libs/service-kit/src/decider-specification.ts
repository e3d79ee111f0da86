import { NewEvent } from '@relate/contracts';

import { Decider, foldEvents } from './decider';

/** What a `then` compares: an event's type and data, plus its business time when set. */
export interface ExpectedEvent {
  type: string;
  data: unknown;
  occurredAt?: string;
}

function comparable(events: NewEvent[]): ExpectedEvent[] {
  return events.map(({ type, data, occurredAt }) =>
    occurredAt === undefined ? { type, data } : { type, data, occurredAt },
  );
}

/**
 * Given events, when a command, then events (or an error): the one shape of every decider spec.
 * Every decided event must carry schemaVersion 1, the only version in the catalogue so far.
 */
export function deciderSpecification<TCommand, TState, TEvent extends ExpectedEvent>(
  decider: Decider<TCommand, TState, TEvent>,
  now: Date = new Date('2026-03-02T10:00:00.000Z'),
) {
  return {
    given: (history: TEvent[]) => ({
      when: (command: TCommand) => {
        const run = () => decider.decide(command, foldEvents(decider, history), now);

        return {
          then: (expected: ExpectedEvent[]) => {
            const events = run();
            expect(comparable(events)).toEqual(expected);
            expect(events.every((event) => event.schemaVersion === 1)).toBe(true);
          },
          thenThrows: (error: { code: string; category: string; violations?: unknown[] }) => {
            let thrown: unknown;
            try {
              run();
            } catch (caught) {
              thrown = caught;
            }
            expect(thrown).toMatchObject(error);
          },
        };
      },
    }),
  };
}
