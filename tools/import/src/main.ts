import { RelateError } from '@relate/errors';

import { ImportConfigError, readImportConfig } from './import.config';
import { MissingColumnsError, planImport } from './import.planner';
import { formatReport } from './import.report';
import { runImport } from './import.runner';
import { readMavenTables } from './maven.files';
import { waitForSummary } from './pipeline.summary';
import { ProgressReporter } from './progress.reporter';
import { RelateClient } from './relate.client';

// The terminal is this tool's user interface, so it writes to stdout rather than to a logger.
const write = (text: string) => process.stdout.write(`${text}\n`);

async function main(): Promise<number> {
  const config = readImportConfig(process.argv.slice(2), process.env);
  const plan = planImport(await readMavenTables(config.folder));
  const client = new RelateClient({ baseUrl: config.baseUrl, apiKey: config.apiKey });
  write(`Importing ${plan.deals.length} deals into ${config.baseUrl}`);

  const startedAt = Date.now();
  const outcome = await runImport(plan, client, {
    concurrency: config.concurrency,
    progress: new ProgressReporter(write),
  });
  const importMs = Date.now() - startedAt;
  write('Waiting for the pipeline summary to show every imported deal');
  const wait = await waitForSummary(client, outcome.pipelineId, outcome.completed, {
    timeoutMs: config.summaryTimeoutMs,
  });
  write('');
  write(formatReport({ folder: config.folder, plan, outcome, importMs, wait }));
  const rowsLeftOut = plan.problems.length + outcome.failures.length;

  return rowsLeftOut > 0 || !wait.complete ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const missingFile = (error as NodeJS.ErrnoException)?.code === 'ENOENT';
    const known =
      missingFile ||
      error instanceof RelateError ||
      error instanceof MissingColumnsError ||
      error instanceof ImportConfigError;
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(
      `import failed: ${known ? message : ((error as Error)?.stack ?? message)}\n`,
    );
    process.exitCode = 1;
  },
);
