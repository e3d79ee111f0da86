import { Logger } from '@nestjs/common';

import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';
import { MavenTables } from '../../../tools/import/src/import.plan';
import { planImport } from '../../../tools/import/src/import.planner';
import { sizeLabel } from '../support/data-sizes';
import { Completion, waitUntilComplete } from '../support/read-models-complete';
import { ScaleBudget } from '../support/scale-budget';
import { generateTables, GeneratedSet } from './crm-generator';
import { dealsOnly, importInBulk, importThroughApi, LoadPath, LoadResult } from './import-paths';

/** Deals planned and loaded at a time: bounds the memory of a large step. */
const SLICE = 50_000;

export interface GrowthStep {
  size: number;
  path: LoadPath;
  /** Deals, commands and events of this step, and the time their load took. */
  load: LoadResult;
  /** From the step's first command until every read model was complete. */
  completeMs: number;
  /** From the step's last command (or append) until every read model was complete. */
  catchUpMs: number;
  storedEvents: number;
  parkedEvents: number;
  /** When each read model first caught up, from the end of the load, the last first. */
  caughtUp: Completion['caughtUp'];
}

/**
 * Grows a generated data set on one system in steps (e.g. 10k, then 100k, then 1M deals), so
 * that the queries at each size reuse the load of the sizes before. A step goes through the API
 * (the import tool's path) or, where that cannot fit, through the bulk path; each step ends when
 * every read model is complete.
 */
export class GeneratedGrowth {
  private loaded = 0;

  constructor(
    private readonly stack: ChaosStack,
    private readonly model: MavenTables,
    private readonly set: GeneratedSet,
    private readonly logger: Logger,
  ) {}

  get size(): number {
    return this.loaded;
  }

  async growTo(size: number, path: LoadPath, timeoutMs: number): Promise<GrowthStep> {
    const started = Date.now();
    const results: LoadResult[] = [];
    for (let from = this.loaded; from < size; from = Math.min(size, from + SLICE)) {
      const to = Math.min(size, from + SLICE);
      const planned = planImport(generateTables(this.model, this.set, from, to));
      if (planned.problems.length > 0) {
        throw new Error(`generated rows refused by the planner: ${planned.problems[0].reason}`);
      }
      const plan = from === 0 ? planned : dealsOnly(planned);
      results.push(
        path === 'api'
          ? await importThroughApi(this.stack, plan)
          : await importInBulk(this.stack, plan),
      );
      this.loaded = to;
      this.logger.log('generated deals loaded', { deals: to, path });
    }
    const loadMs = Date.now() - started;
    const completion = await waitUntilComplete(this.stack, { timeoutMs });

    return {
      size,
      path,
      load: {
        path,
        deals: results.reduce((sum, r) => sum + r.deals, 0),
        commands: results.reduce((sum, r) => sum + r.commands, 0),
        events: results.reduce((sum, r) => sum + (r.events ?? 0), 0) || undefined,
        ms: loadMs,
      },
      completeMs: Date.now() - started,
      catchUpMs: completion.waitedMs,
      storedEvents: completion.storedEvents,
      parkedEvents: completion.parkedEvents,
      caughtUp: completion.caughtUp,
    };
  }
}

export interface BudgetedGrowth {
  steps: GrowthStep[];
  /** Why each size was not reached: over the budget, or its step failed. */
  left: string[];
}

/**
 * Grows the data through `sizes`, each step only if it fits the budget (keeping `reserveMs` for
 * what `measure` does at that size) and none after one that did not fit or failed; `measure`
 * runs at each size reached.
 */
export async function growWithinBudget(
  growth: GeneratedGrowth,
  budget: ScaleBudget,
  sizes: readonly number[],
  step: {
    path: (deals: number) => LoadPath;
    reserveMs?: number;
    measure: (size: number, grown: GrowthStep) => Promise<void>;
  },
): Promise<BudgetedGrowth> {
  const steps: GrowthStep[] = [];
  const left: string[] = [];
  for (const size of sizes) {
    const deals = size - growth.size;
    if (left.length > 0 || !budget.fits(deals, step.reserveMs)) {
      left.push(budget.leftOut(size, deals));
      continue;
    }
    let grown: GrowthStep;
    try {
      grown = await growth.growTo(size, step.path(deals), Math.max(budget.remainingMs, 60_000));
    } catch (error) {
      left.push(`${sizeLabel(size)}: ${error instanceof Error ? error.message : error}`);
      continue;
    }
    steps.push(grown);
    budget.observe(deals, grown.completeMs);
    await step.measure(size, grown);
  }

  return { steps, left };
}
