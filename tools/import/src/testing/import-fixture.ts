import { ImportPlan } from '../import.plan';
import { planImport } from '../import.planner';
import { ImportOutcome, runImport } from '../import.runner';
import { readMavenTables } from '../maven.files';
import { ProgressReporter } from '../progress.reporter';
import { RelateClient } from '../relate.client';
import { RelateStack, startRelateStack } from './relate-stack';

// The whole system runs in the jest worker's one process. At 16 in flight on a busy two-core
// machine its event loop starved the projections: consumers missed heartbeats and were evicted,
// and reporting lagged the import of the whole data set by minutes; at 8 they keep pace.
const IMPORT_CONCURRENCY = 8;

interface Started {
  stack: RelateStack;
  client: RelateClient;
  plan: ImportPlan;
}

/**
 * What an import spec works on: a Relate stack started before its tests and stopped after them,
 * a client of its gateway, and the import planned from the Maven tables in `dataSet`.
 */
export class ImportFixture {
  private started: Started | undefined;

  constructor(label: string, dataSet: string) {
    beforeAll(async () => {
      const stack = await startRelateStack(label);
      this.started = {
        stack,
        client: new RelateClient({ baseUrl: stack.gatewayUrl, apiKey: stack.apiKey }),
        plan: planImport(await readMavenTables(dataSet)),
      };
    });
    afterAll(async () => {
      await this.started?.stack.stop();
    });
  }

  get stack(): RelateStack {
    return this.ready().stack;
  }

  get client(): RelateClient {
    return this.ready().client;
  }

  get plan(): ImportPlan {
    return this.ready().plan;
  }

  /** Runs the whole import once, quietly. */
  importOnce(): Promise<ImportOutcome> {
    const progress = new ProgressReporter(() => undefined);

    return runImport(this.plan, this.client, { concurrency: IMPORT_CONCURRENCY, progress });
  }

  private ready(): Started {
    if (!this.started) {
      throw new Error('the import fixture is used before its stack started');
    }

    return this.started;
  }
}
