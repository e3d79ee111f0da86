import { Logger } from '@nestjs/common';

import { installStructuredLogging } from '@relate/observability';

import { ChaosFigures, failedFigures, figuresTable, keptPromise } from './chaos-figures';
import { ChaosScale } from './chaos-scenario';
import { LIBRARY_SCENARIOS } from './library-scenarios';
import { OPERATIONS_SCENARIOS } from './operations-scenarios';
import { PROCESS_SCENARIOS } from './process-scenarios';

installStructuredLogging();
const logger = new Logger('Chaos');

/**
 * `npm run chaos [-- --short] [-- 2 5]`: runs the fault scenarios one after another, prints one
 * table of figures, and exits non-zero when any scenario lost or doubled something or failed.
 */
async function main(args: string[]): Promise<number> {
  const scale: ChaosScale = args.includes('--short') ? 'short' : 'full';
  const wanted = new Set(args.filter((arg) => /^\d+$/.test(arg)).map(Number));
  const scenarios = [...LIBRARY_SCENARIOS, ...OPERATIONS_SCENARIOS, ...PROCESS_SCENARIOS]
    .filter((scenario) => wanted.size === 0 || wanted.has(scenario.id))
    .sort((a, b) => a.id - b.id);
  const results: ChaosFigures[] = [];
  let failures = 0;
  for (const scenario of scenarios) {
    const started = Date.now();
    logger.log('scenario started', { scenario: scenario.id, name: scenario.name, scale });
    try {
      const figures = await scenario.run(scale).finally(() => {
        // A scenario's Nest apps narrow the process-wide log levels; the run's own lines stay.
        installStructuredLogging();
      });
      const seconds = (Date.now() - started) / 1000;
      results.push({ ...figures, seconds });
      failures += keptPromise(figures) ? 0 : 1;
      logger.log('scenario finished', {
        scenario: scenario.id,
        seconds,
        kept: keptPromise(figures),
      });
    } catch (error) {
      failures += 1;
      results.push({
        ...failedFigures(scenario.id, scenario.name, error),
        seconds: (Date.now() - started) / 1000,
      });
      logger.error('scenario failed', {
        scenario: scenario.id,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  process.stdout.write(`\n${figuresTable(results)}\n\n`);

  return failures === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: Error) => {
    logger.error('chaos run failed', { error: error.message });
    process.exit(1);
  },
);
