import { figuresTable } from '../chaos-figures';
import { ChaosStack } from '../support/chaos-stack';
import { runPostgresOutage } from './postgres-outage.scenario';

describe('scenario 4: PostgreSQL stopped hard and restarted', () => {
  afterAll(() => ChaosStack.stopAll(), 60_000);

  it('fails commands fast and clearly meanwhile, reconnects alone, keeps every 2xx', async () => {
    const result = await runPostgresOutage('short');
    process.stdout.write(`\n${figuresTable([result.figures])}\n`);
    const [outage] = result.outages;
    const statuses = Object.keys(outage.answers).map((answer) => answer.split(' ')[0]);

    expect(result.figures.lost).toBe(0);
    expect(result.figures.appliedTwice).toBe(0);
    // What failed is not there; what may have happened happened entirely or not at all.
    expect(result.audit.failedButStored).toBe(0);
    expect(result.audit.half).toBe(0);
    // Commands did fail meanwhile, each within the bound, with a 503 and a code that says why.
    expect(outage.failed + outage.unknown).toBeGreaterThan(10);
    expect(result.tooSlow).toBe(0);
    expect(new Set(statuses)).toEqual(new Set(['503']));
    expect(Object.keys(outage.answers).every((a) => /EVENT_STORE\.|GATEWAY\./.test(a))).toBe(true);
    // Back without a manual restart, and no service had to be restarted by its supervisor.
    expect(outage.reconnectSeconds).toBeLessThan(20);
    expect(outage.restarted).toEqual({});
    expect(result.rebuiltRows).toBeGreaterThan(0);
  }, 170_000);
});
