import { figuresTable } from '../chaos-figures';
import { ChaosStack } from '../support/chaos-stack';
import { runBrokerOutage } from './broker-outage.scenario';

describe('scenario 3: the broker stopped a while under load', () => {
  afterAll(() => ChaosStack.stopAll(), 60_000);

  it('acknowledges every command meanwhile and delivers everything once it is back', async () => {
    const result = await runBrokerOutage('short');
    process.stdout.write(`\n${figuresTable([result.figures])}\n`);
    const [outage] = result.outages;

    expect(result.figures.lost).toBe(0);
    expect(result.figures.appliedTwice).toBe(0);
    expect(result.notAcknowledged).toBe(0);
    expect(outage.commands).toBeGreaterThan(20);
    expect(outage.acknowledged).toBe(outage.commands);
    // The events of those commands waited in the outboxes.
    expect(outage.backlog).toBeGreaterThan(20);
    expect(result.figures.recoverySeconds).toBeLessThan(30);
    expect(result.rebuiltRows).toBeGreaterThan(0);
  }, 170_000);
});
