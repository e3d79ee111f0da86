import { DeadLetterHeaders } from '@relate/messaging';

import { figuresTable } from '../chaos-figures';
import { poisonEventScenario, runPoisonEvent } from './poison-event.scenario';

describe('chaos scenario 6: poison event', () => {
  it('parks the poison event, lets the others flow, and applies it once when retried', async () => {
    const figures = await runPoisonEvent('short');
    process.stdout.write(`\n${figuresTable([figures])}\n`);

    expect(figures.lost).toBe(0);
    expect(figures.appliedTwice).toBe(0);
    expect(figures.problems).toEqual([]);
    expect(figures.othersFlowed).toBe(true);
    expect(figures.deadLettered).toHaveLength(1);
    expect(figures.deadLettered[0].headers).toMatchObject({
      [DeadLetterHeaders.errorCode]: 'P0001',
      [DeadLetterHeaders.attempts]: '4',
      [DeadLetterHeaders.projection]: 'contacts-people',
    });
    expect(figures.listed.map(({ reason, streamVersion }) => [reason, streamVersion])).toEqual([
      ['failed', 1],
      ['waiting-behind-parked-event', 2],
      ['waiting-behind-parked-event', 3],
    ]);
    expect(figures.listingShowedPersonalData).toBe(false);
    expect(figures.retry).toEqual({ status: 200, applied: figures.listed.map((e) => e.eventId) });
    expect(figures.secondRetry).toEqual({ status: 409, code: 'PARKED_EVENTS.ALREADY_RESOLVED' });
    expect(figures.readModelChecksum).toBe(figures.expectedChecksum);
    expect(figures.expectedEvents).toBe(figures.acknowledged);
    expect(poisonEventScenario.id).toBe(6);
  }, 90_000);
});
