import { Logger } from '@nestjs/common';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { installStructuredLogging } from '@relate/observability';

import { Measurement } from './harness/bench-types';
import { renderReport, summaryTable } from './harness/report';
import { runBench } from './harness/run-bench';
import { MEASUREMENTS } from './measurements';

installStructuredLogging();
const logger = new Logger('Bench');

/**
 * `npm run bench [-- --smoke] [-- --rounds 3] [-- --out dir] [-- 1 5 12]`: runs the
 * measurements, writes `REPORT.md` and `results.json` (by default in `bench/`; a smoke run
 * writes nowhere unless given `--out`) and prints the summary table. Exits 1 when a
 * measurement could not run; a missed target is a finding of the report, not a failure.
 */
async function main(args: string[]): Promise<number> {
  const smoke = args.includes('--smoke');
  const wanted = new Set(args.filter((arg) => /^\d+$/.test(arg)).map(Number));
  const chosen: Measurement[] = MEASUREMENTS.filter((m) => wanted.size === 0 || wanted.has(m.id));
  const out = optionValue(args, '--out') ?? (smoke ? undefined : resolve(__dirname, '..'));
  const rounds = optionValue(args, '--rounds');
  const report = await runBench({
    scale: smoke ? 'smoke' : 'full',
    measurements: chosen,
    rounds: rounds === undefined ? undefined : positiveInteger(rounds, '--rounds'),
    logger,
  });
  if (out !== undefined) {
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'REPORT.md'), renderReport(report));
    writeFileSync(join(out, 'results.json'), `${JSON.stringify(report, null, 2)}\n`);
    logger.log('report written', { folder: out });
  }
  process.stdout.write(`\n${summaryTable(report.measurements)}\n\n`);

  return report.measurements.some((outcome) => outcome.error !== undefined) ? 1 : 0;
}

function optionValue(args: string[], name: string): string | undefined {
  const index = args.indexOf(name);
  if (index < 0) {
    return undefined;
  }
  const value = args[index + 1];
  if (value === undefined || value.startsWith('--')) {
    throw new Error(`${name} needs a value`);
  }

  return value;
}

function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${name} must be a whole number of at least 1, not "${text}"`);
  }

  return value;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    logger.error('bench run failed', { error: error.message });
    process.exit(1);
  },
);
