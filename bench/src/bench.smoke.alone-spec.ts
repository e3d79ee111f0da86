import { Logger } from '@nestjs/common';

import { ChaosStack } from '../../tools/chaos/src/support/chaos-stack';
import { ratioOf } from './harness/bench-types';
import { BenchReport, renderReport } from './harness/report';
import { runBench } from './harness/run-bench';
import { MEASUREMENTS } from './measurements';

/**
 * Every measurement at smoke scale, so that the benchmark keeps running as the code changes.
 * It judges that each measured something real (finite positive figures, baselines measured
 * beside them), never the targets: those need the full run on a quiet machine.
 */
describe('npm run bench --smoke', () => {
  let report: BenchReport;

  beforeAll(async () => {
    report = await runBench({
      scale: 'smoke',
      measurements: MEASUREMENTS,
      logger: new Logger('BenchSmoke', { timestamp: false }),
    });
  }, 600_000);

  afterAll(() => ChaosStack.stopAll(), 60_000);

  it('runs all twelve measurements without a failure', () => {
    const failures = report.measurements
      .filter((outcome) => outcome.error !== undefined)
      .map((outcome) => `${outcome.id}: ${outcome.error}`);

    expect(failures).toEqual([]);
    expect(report.measurements.map((outcome) => outcome.id)).toEqual(
      Array.from({ length: 12 }, (_, index) => index + 1),
    );
  });

  it('gives every measurement finite figures, and a baseline a positive value', () => {
    for (const outcome of report.measurements) {
      expect({ id: outcome.id, figures: (outcome.figures?.length ?? 0) > 0 }).toEqual({
        id: outcome.id,
        figures: true,
      });
      for (const figure of outcome.figures ?? []) {
        const where = `${outcome.id}: ${figure.what}`;
        expect({ where, finite: Number.isFinite(figure.value) }).toEqual({ where, finite: true });
        if (figure.baseline) {
          expect({ where, positive: figure.baseline.value > 0 }).toEqual({ where, positive: true });
          expect(Number.isFinite(ratioOf(figure))).toBe(true);
        }
      }
    }
  });

  it('renders a report with the summary and a section for every measurement', () => {
    const markdown = renderReport(report);

    expect(markdown).toContain('## Summary');
    for (const measurement of MEASUREMENTS) {
      expect(markdown).toContain(`## ${measurement.id}. ${measurement.title}`);
    }
  });
});
