import { DetailTable, Figure, Measurement, MeasurementResult } from '../harness/bench-types';
import { generatedSetFor } from '../data/crm-generator';
import { GeneratedGrowth, GrowthStep, growWithinBudget } from '../data/generated-growth';
import { API_IMPORT_CONCURRENCY, importThroughApi, LoadPath } from '../data/import-paths';
import { scaleBudget } from '../support/scale-budget';
import {
  MAVEN_DATA_SET,
  MAVEN_FIXTURE,
  mavenDataSetExists,
  readMavenModel,
} from '../data/maven-data-set';
import { sizeLabel, sizesFrom } from '../support/data-sizes';
import { Completion, waitUntilComplete } from '../support/read-models-complete';
import { planImport } from '../../../tools/import/src/import.planner';
import { readMavenTables } from '../../../tools/import/src/maven.files';
import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';

/** The seed of the generated set: the same seed gives the same data on every run. */
export const GENERATED_SEED = 5;

export const importMeasurement: Measurement = {
  id: 10,
  title: 'Import',
  run: async (context) => {
    const full = context.scale === 'full';
    const budget = scaleBudget(context.scale, 'RELATE_BENCH_IMPORT_MINUTES', 18);
    // A smoke run imports the committed excerpt into the shared system; a full one the whole
    // data set into a system of its own.
    const folder = full && mavenDataSetExists() ? MAVEN_DATA_SET : MAVEN_FIXTURE;
    const maven = await importMaven(
      full ? await context.freshSystem('import-maven') : await context.system(),
      folder,
      budget.remainingMs,
    );
    context.logger.log('maven import measured', { deals: maven.deals, ms: maven.completeMs });

    const sizes = full
      ? sizesFrom('RELATE_BENCH_IMPORT_SIZES', [10_000, 100_000, 1_000_000])
      : [50];
    const model = await readMavenModel();
    const stack = full ? await context.freshSystem('import-generated') : await context.system();
    const growth = new GeneratedGrowth(
      stack,
      model.tables,
      generatedSetFor(sizes.at(-1)!, GENERATED_SEED),
      context.logger,
    );
    const apiLimit = Number(process.env.RELATE_BENCH_API_DEALS ?? (full ? 0 : Infinity));
    const { steps, left } = await growWithinBudget(growth, budget, sizes, {
      path: (deals): LoadPath => (deals <= apiLimit ? 'api' : 'bulk'),
      measure: async (size, step) => {
        context.logger.log('generated step measured', {
          size,
          path: step.path,
          ms: step.completeMs,
        });
      },
    });

    return report({ folder, maven, steps, left, modelFolder: model.folder, full });
  },
};

interface MavenImport {
  deals: number;
  commands: number;
  importMs: number;
  completeMs: number;
  storedEvents: number;
  parkedEvents: number;
  caughtUp: Completion['caughtUp'];
}

async function importMaven(
  stack: ChaosStack,
  folder: string,
  timeoutMs: number,
): Promise<MavenImport> {
  const plan = planImport(await readMavenTables(folder));
  const started = Date.now();
  const load = await importThroughApi(stack, plan);
  const completion = await waitUntilComplete(stack, { timeoutMs });

  return {
    deals: load.deals,
    commands: load.commands,
    importMs: load.ms,
    completeMs: Date.now() - started,
    storedEvents: completion.storedEvents,
    parkedEvents: completion.parkedEvents,
    caughtUp: completion.caughtUp,
  };
}

interface ImportFindings {
  folder: string;
  maven: MavenImport;
  steps: GrowthStep[];
  /** Sizes not loaded, and why. */
  left: string[];
  modelFolder: string;
  full: boolean;
}

function report(findings: ImportFindings): MeasurementResult {
  const { maven, steps } = findings;
  const seconds = (ms: number) => ms / 1000;
  const figures: Figure[] = [
    {
      what: `maven-crm import through the API: deals/s (${maven.deals} deals)`,
      unit: 'deals/s',
      value: maven.deals / seconds(maven.importMs),
    },
    {
      what: 'maven-crm import through the API: commands/s',
      unit: 'commands/s',
      value: maven.commands / seconds(maven.importMs),
    },
    {
      what: 'maven-crm import: time until every read model is complete',
      unit: 's',
      value: seconds(maven.completeMs),
    },
    ...steps.map((step) => ({
      what: `generated ${sizeLabel(step.size)} deals (${step.path} path): until complete`,
      unit: 's',
      value: seconds(step.completeMs),
    })),
  ];
  const rows = steps.map((step) => [
    sizeLabel(step.size),
    step.path,
    step.load.deals,
    step.load.commands,
    step.storedEvents,
    seconds(step.load.ms).toFixed(1),
    seconds(step.catchUpMs).toFixed(1),
    seconds(step.completeMs).toFixed(1),
    Math.round(step.load.deals / seconds(step.completeMs)),
    step.parkedEvents,
  ]);

  return {
    figures,
    tables: [
      {
        title: 'Generated data set, grown in steps on one system',
        header: [
          'deals after step',
          'path',
          'deals in step',
          'commands in step',
          'events stored (all services)',
          'load s',
          'catch-up after load s',
          'until complete s',
          'deals/s until complete',
          'parked events',
        ],
        rows,
      },
      slowestReadModels(maven, steps.at(-1)),
    ],
    notes: notes(findings),
  };
}

function notes(findings: ImportFindings): string[] {
  const { folder, maven, modelFolder, left } = findings;
  const where = findings.full ? 'a system of its own' : 'the shared system';

  return [
    `The maven-crm import (${folder.split('/').slice(-2).join('/')}) runs the import tool's own ` +
      `code path (planner, runner, RelateClient over the gateway, ${maven.commands} commands, ` +
      `${API_IMPORT_CONCURRENCY} in flight) into ${where}, and took ` +
      `${(maven.importMs / 1000).toFixed(1)} s; ${maven.storedEvents} events were stored.`,
    ...(left.length > 0 ? [`Sizes not measured in this run's budget: ${left.join('; ')}.`] : []),
    '"Complete" means, in one check: every event store\'s outbox is published (no event after ' +
      "its relay's checkpoint), every projection and reactor of every service is `live` with a " +
      "lag of 0 (its consumer group's committed offsets are the topics' ends, " +
      '`GET /ops/read-models`), and the outboxes are still published after that. The time runs ' +
      "from the step's first command.",
    `The generated set is resampled from the Maven files (${modelFolder.split('/').pop()}) with ` +
      `a seeded generator (seed ${GENERATED_SEED}): each deal copies a random Maven deal's ` +
      'stage, ' +
      'product, value and sales cycle (dates shifted together by up to two weeks), with a copy ' +
      'of its account and rep; accounts (with their sectors and parent links) and reps (with ' +
      'their managers and offices) are copies of the Maven ones, 1 account per 1,000 and 1 rep ' +
      'per 2,500 deals of the largest size (at least the Maven 85 and 35). The same seed gives ' +
      'the same rows, slice by slice.',
    'The generated steps use the bulk path (RELATE_BENCH_API_DEALS=n sends steps of up to n ' +
      'deals through the API instead), since at the API rate above 1M deals would take hours: ' +
      'reps, products, the ' +
      "pipeline and companies still go through the API, and each deal's commands go through " +
      "the pipeline service's own decider, its events appended to its stream in one batched " +
      "append of the service's event store (no NOTIFY: the relay polls); the relay publishes " +
      'them and every read model is built by the real projections from the topics. ' +
      'RELATE_BENCH_IMPORT_SIZES (e.g. `10k,100k,1M`, the default) chooses the sizes and ' +
      'RELATE_BENCH_IMPORT_MINUTES (default 18, the Maven import included) the budget; a size ' +
      'is loaded only if, at the rate of the step before, it fits into what is left.',
  ];
}

/** The read models that caught up last: where the time until complete goes. */
function slowestReadModels(maven: MavenImport, largest: GrowthStep | undefined): DetailTable {
  const slowest = (caughtUp: Completion['caughtUp']) =>
    caughtUp.slice(0, 5).map(({ readModel, ms }) => `${readModel} ${(ms / 1000).toFixed(1)} s`);
  const mavenRows = slowest(maven.caughtUp);
  const largestRows = largest ? slowest(largest.caughtUp) : [];

  return {
    title: 'The read models that caught up last (seconds after the last command)',
    header: ['', 'maven-crm', largest ? `generated ${sizeLabel(largest.size)}` : '-'],
    rows: Array.from({ length: Math.max(mavenRows.length, largestRows.length) }, (_, i) => [
      i + 1,
      mavenRows[i] ?? '',
      largestRows[i] ?? '',
    ]),
  };
}
