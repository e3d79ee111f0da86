import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';
import { ImportPlan } from '../../../tools/import/src/import.plan';
import { runImport } from '../../../tools/import/src/import.runner';
import { ProgressReporter } from '../../../tools/import/src/progress.reporter';
import { RelateClient } from '../../../tools/import/src/relate.client';
import { appendDealsInBulk } from './bulk-deal-loader';

/** Requests in flight of an import through the API (the import tool's default is 16). */
export const API_IMPORT_CONCURRENCY = 32;
/** Appends in flight of a bulk load. */
const BULK_CONCURRENCY = 8;

export type LoadPath = 'api' | 'bulk';

export interface LoadResult {
  path: LoadPath;
  deals: number;
  /** Commands sent through the gateway, or commands decided by the bulk path. */
  commands: number;
  events?: number;
  ms: number;
}

/** The import tool's own code path: the planned commands through the gateway. */
export async function importThroughApi(stack: ChaosStack, plan: ImportPlan): Promise<LoadResult> {
  const client = new RelateClient({ baseUrl: stack.url('gateway'), apiKey: stack.apiKey });
  const started = Date.now();
  const outcome = await runImport(plan, client, {
    concurrency: API_IMPORT_CONCURRENCY,
    progress: new ProgressReporter(() => undefined),
  });
  const ms = Date.now() - started;
  const failed = Object.values(outcome.counts).reduce((sum, count) => sum + count.failed, 0);
  if (failed > 0) {
    throw new Error(`the import refused ${failed} rows: ${outcome.failures[0]?.reason}`);
  }
  const created = Object.values(outcome.counts).reduce((sum, c) => sum + c.created, 0);

  return {
    path: 'api',
    deals: plan.deals.length,
    commands: created + (outcome.pipeline === 'created' ? 1 : 0) + outcome.steps.applied,
    ms,
  };
}

/**
 * Everything but the deals through the API (unless `plan` is a later slice, see `dealsOnly`),
 * then the deals by the bulk path.
 */
export async function importInBulk(stack: ChaosStack, plan: ImportPlan): Promise<LoadResult> {
  const started = Date.now();
  const later = plan.reps.length === 0 && plan.companyLevels.length === 0;
  const rest = later ? { commands: 0 } : await importThroughApi(stack, { ...plan, deals: [] });
  const bulk = await appendDealsInBulk(
    { databaseUrl: stack.databaseUrl, tenantId: stack.tenantId, pipelineId: plan.pipeline.body.id },
    plan.deals,
    { concurrency: BULK_CONCURRENCY },
  );
  const steps = plan.deals.reduce((sum, deal) => sum + deal.steps.length, 0);

  return {
    path: 'bulk',
    deals: plan.deals.length,
    commands: rest.commands + plan.deals.length + steps,
    events: bulk.events,
    ms: Date.now() - started,
  };
}

/** A later slice of a data set whose reps, products, pipeline and companies exist already. */
export function dealsOnly(plan: ImportPlan): ImportPlan {
  return { ...plan, reps: [], products: [], companyLevels: [] };
}
