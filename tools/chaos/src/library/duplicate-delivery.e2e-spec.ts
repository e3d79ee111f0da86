import { figuresTable } from '../chaos-figures';
import { duplicateDeliveryScenario } from './duplicate-delivery.scenario';

describe('chaos scenario 5: duplicate deliveries', () => {
  it('gives read models byte-identical to a run without duplicates', async () => {
    const figures = await duplicateDeliveryScenario.run('short');
    process.stdout.write(`${figuresTable([figures])}\n`);

    expect(figures.lost).toBe(0);
    expect(figures.appliedTwice).toBe(0);
    expect(figures.duplicatesInjected).toBeGreaterThan(0);
    expect(figures.outOfPlace).toBeGreaterThan(0);
    expect(figures.delivered).toBe(figures.expectedEvents + figures.duplicatesInjected);
    // Each projection reading a topic skips each repeat on it: at least one skip per repeat.
    expect(figures.skipped).toBeGreaterThanOrEqual(figures.duplicatesInjected);
    // Without the runner's version check the same records change rows: the check can fail.
    expect(figures.controlRowsDiffering).toBeGreaterThan(0);
  }, 90_000);
});
