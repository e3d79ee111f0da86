import { figuresTable } from '../chaos-figures';
import { lateCommitsScenario } from './late-commits.scenario';

describe('chaos scenario 1: late commits', () => {
  it('publishes exactly the committed events in order; a naive reader loses some', async () => {
    const figures = await lateCommitsScenario.run('short');
    process.stdout.write(`${figuresTable([figures])}\n`);

    expect(figures.acknowledged).toBeGreaterThan(0);
    expect(figures.rolledBack).toBeGreaterThan(0);
    expect(figures.foundEvents).toBe(figures.expectedEvents);
    expect(figures.lost).toBe(0);
    expect(figures.appliedTwice).toBe(0);
    expect(figures.extra).toBe(0);
    expect(figures.outOfOrder).toBe(0);
    expect(figures.misplaced).toBe(0);
    // Late commits happened: a reader following the position column skipped some.
    expect(figures.naiveLost).toBeGreaterThan(0);
  });
});
