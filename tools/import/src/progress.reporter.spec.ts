import { ProgressReporter } from './progress.reporter';

describe(ProgressReporter.name, () => {
  it('shows done of total, the rate and the failures', () => {
    let now = 0;
    const lines: string[] = [];
    const reporter = new ProgressReporter(
      (line) => lines.push(line),
      () => now,
    );

    reporter.start('deals', 8800);
    for (let i = 0; i < 400; i += 1) reporter.advance(i === 0 ? 'failed' : 'done');
    now = 2000;
    reporter.finish();

    expect(lines).toEqual(['  deals       400/8800  200/s  2.0 s  1 failed']);
  });
});
