import { figuresTable } from '../chaos-figures';
import { concurrentEditsScenario } from './concurrent-edits.scenario';

describe('chaos scenario 8: concurrent edits', () => {
  it('lets exactly one client win per version; the others get 409', async () => {
    const figures = await concurrentEditsScenario.run('short');
    process.stdout.write(`${figuresTable([figures])}\n`);

    expect(figures.lost).toBe(0);
    expect(figures.appliedTwice).toBe(0);
    expect(figures.otherErrors).toBe(0);
    expect(figures.roundsWithoutOneWinner).toBe(0);
    expect(figures.successes).toBeGreaterThan(0);
    expect(figures.conflicts).toBe(figures.attempts - figures.successes);
    expect(figures.conflictsWithCurrentVersion).toBe(figures.conflicts);
    expect(figures.finalVersion).toBe(1 + figures.successes);
    expect(figures.readModelShowsLastWinner).toBe(true);
  });
});
