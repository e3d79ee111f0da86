import { figuresTable } from '../chaos-figures';
import { ChaosStack } from '../support/chaos-stack';
import { gracefulStopScenario, STOP_BOUND_SECONDS } from './graceful-stop.scenario';

describe('chaos scenario 9: graceful stop', () => {
  // A scenario cut short by jest's timeout still stops every process it started.
  afterAll(() => ChaosStack.stopAll(), 60_000);

  it('answers what was in flight, commits what was applied, exits by itself in time', async () => {
    const figures = await gracefulStopScenario.run('short');
    process.stdout.write(`${figuresTable([figures])}\n`);

    expect(figures.lost).toBe(0);
    expect(figures.appliedTwice).toBe(0);
    expect(figures.acknowledged).toBeGreaterThan(0);
    expect(figures.foundEvents).toBe(figures.expectedEvents);
    expect(figures.storedWithoutAcknowledgement).toBe(0);
    expect(figures.staleReads).toBe(0);
    for (const round of figures.rounds) {
      expect({ target: round.target, inFlight: round.inFlight > 0 }).toEqual({
        target: round.target,
        inFlight: true,
      });
      expect(round.exitedByItself).toBe(true);
      expect(round.stopSeconds).toBeLessThan(STOP_BOUND_SECONDS);
      if (round.target !== 'gateway') {
        // The gateway answers for a backend that stops: every request gets an answer.
        expect(round.answered).toBe(round.inFlight);
        expect(round.ledger).toMatchObject({
          committedNotApplied: 0,
          appliedNotCommitted: 0,
          relayedNotOnTopic: 0,
        });
      }
    }
    expect(figures.rebuild.differing).toEqual([]);
  }, 300_000);
});
