import { failedFigures, figuresTable, keptPromise } from './chaos-figures';

describe('figuresTable', () => {
  it('shows a scenario that failed as a row of unknown counts with its error', () => {
    const failed = {
      ...failedFigures(3, 'broker outage', new Error('timed out\nstack')),
      seconds: 2,
    };

    const table = figuresTable([failed]);

    expect(table.split('\n')[2]).toBe(
      '| 3 | broker outage | ? | ? | ? | ? | ? | - | 2.0 | FAILED: timed out |',
    );
    expect(keptPromise(failed)).toBe(false);
  });
});
