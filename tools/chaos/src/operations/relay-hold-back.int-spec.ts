import { figuresTable } from '../chaos-figures';
import { relayHoldBackScenario, runRelayHoldBack } from './relay-hold-back.scenario';

describe('chaos scenario 10: a long-open transaction holds back the relay', () => {
  it('shows it in a metric and a log line, and publishes everything once it ends', async () => {
    const figures = await runRelayHoldBack('short');
    process.stdout.write(`\n${figuresTable([figures])}\n`);

    expect(figures.lost).toBe(0);
    expect(figures.appliedTwice).toBe(0);
    expect(figures.problems).toEqual([]);
    expect(figures.outOfOrder).toBe(0);
    expect(figures.expectedEvents).toBe(figures.acknowledged);
    // Nothing committed after the holder began reached the topic while it was open.
    expect(figures.publishedDuringHold).toBe(0);
    expect(figures.maxHeldBack).toBeGreaterThan(0);
    // The age grows while the transaction stays open: the last sample is seconds after the first.
    const [first, last] = [figures.ageSamples[0], figures.ageSamples.at(-1) as number];
    expect(last - first).toBeGreaterThan(2);
    expect(figures.ageAfter).toBe(0);
    // Warned when it began, again after the repeat interval; not at every check (every 200 ms).
    expect(figures.warnings[0]).toBe('outbox relay held back by a long-open transaction');
    expect(figures.warnings.length).toBeGreaterThanOrEqual(2);
    expect(figures.warnings.length).toBeLessThanOrEqual(4);
    expect(figures.firstWarning).toMatchObject({
      pid: figures.holderPid,
      applicationName: 'chaos-nightly-report',
      openForMs: expect.any(Number),
      eventsHeldBack: expect.any(Number),
    });
    expect(figures.endLogged).toBe(true);
    expect(figures.recoverySeconds).toBeLessThan(5);
    expect(relayHoldBackScenario.id).toBe(10);
  }, 60_000);
});
