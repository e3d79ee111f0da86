import { DealView, Page, PipelineView } from '@relate/contracts';
import { RelateError } from '@relate/errors';

import { DealCommand, DealStep, ImportPlan, MavenStage, RowProblem, RowRef } from './import.plan';
import { ProgressReporter } from './progress.reporter';
import { CreateOutcome, RelateClient, UNREACHABLE } from './relate.client';
import { runPool } from './work.pool';

export interface RunOptions {
  concurrency: number;
  progress: ProgressReporter;
  /** How long to wait for a deal that exists to show up in the read model. */
  readWaitMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface KindCount {
  created: number;
  existing: number;
  failed: number;
}

export type ImportedKind = 'reps' | 'products' | 'companies' | 'deals';

export interface ImportOutcome {
  counts: Record<ImportedKind, KindCount>;
  pipeline: CreateOutcome;
  pipelineId: string;
  /** Stage moves and closings sent, and those found already done on a second import. */
  steps: { applied: number; alreadyDone: number };
  /** Rows the API refused: never silent. */
  failures: RowProblem[];
  /** Deals that ended in their planned stage, per stage. */
  completed: Record<MavenStage, number>;
}

const emptyCount = (): KindCount => ({ created: 0, existing: 0, failed: 0 });

/**
 * Sends the plan through the public API: reps, products and the pipeline, then companies parents
 * first, then deals with a bounded pool, each deal's steps in order.
 */
export async function runImport(
  plan: ImportPlan,
  client: RelateClient,
  options: RunOptions,
): Promise<ImportOutcome> {
  const run = new ImportRun(plan, client, options);

  return run.execute();
}

class ImportRun {
  private readonly outcome: ImportOutcome;
  private readonly sleep: (ms: number) => Promise<void>;
  private stageIds = new Map<MavenStage, string>();
  private stageNames = new Map<string, MavenStage>();
  /** Deals found in the pipeline before the deals phase, with their stage. */
  private readonly knownStages = new Map<string, string>();

  constructor(
    private readonly plan: ImportPlan,
    private readonly client: RelateClient,
    private readonly options: RunOptions,
  ) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.outcome = {
      counts: {
        reps: emptyCount(),
        products: emptyCount(),
        companies: emptyCount(),
        deals: emptyCount(),
      },
      pipeline: 'created',
      pipelineId: plan.pipeline.body.id,
      steps: { applied: 0, alreadyDone: 0 },
      failures: [],
      completed: { Prospecting: 0, Engaging: 0, Won: 0, Lost: 0 },
    };
  }

  async execute(): Promise<ImportOutcome> {
    await this.createAll('reps', '/reps', this.plan.reps);
    await this.createAll('products', '/products', this.plan.products);
    await this.preparePipeline();
    const companies = this.plan.companyLevels.flat().length;
    this.options.progress.start('companies', companies);
    for (const level of this.plan.companyLevels) {
      await this.createAll('companies', '/companies', level, false);
    }
    this.options.progress.finish();
    await this.listImportedDeals();
    this.options.progress.start('deals', this.plan.deals.length);
    await runPool(this.plan.deals, this.options.concurrency, (deal) => this.importDeal(deal));
    this.options.progress.finish();

    return this.outcome;
  }

  private async createAll(
    kind: ImportedKind,
    path: string,
    commands: Array<{ source: RowRef; body: object }>,
    ownPhase = true,
  ): Promise<void> {
    if (ownPhase) this.options.progress.start(kind, commands.length);
    await runPool(commands, this.options.concurrency, async ({ source, body }) => {
      try {
        const created = await this.client.create(path, body);
        this.outcome.counts[kind][created === 'created' ? 'created' : 'existing'] += 1;
        this.options.progress.advance();
      } catch (error) {
        this.fail(kind, source, error);
      }
    });
    if (ownPhase) this.options.progress.finish();
  }

  private async preparePipeline(): Promise<void> {
    const { body } = this.plan.pipeline;
    const created = await this.client.createWithToken('/pipelines', body);
    this.outcome.pipeline = created.outcome;
    const pipeline = await this.readPipeline(body.id, created.consistencyToken);
    for (const stage of body.stages) {
      const id = pipeline.stages.find((s) => s.name === stage.name)?.id;
      if (id === undefined) {
        const message = `pipeline ${body.name} has no stage ${stage.name}`;
        throw new RelateError('IMPORT.PIPELINE_MISMATCH', 'illegal_state', message);
      }
      this.stageIds.set(stage.name as MavenStage, id);
      this.stageNames.set(id, stage.name as MavenStage);
    }
  }

  /** Pipelines are read from a read model: wait until it has seen the pipeline. */
  private async readPipeline(id: string, token: string | undefined): Promise<PipelineView> {
    const query = token ? `?consistency=${encodeURIComponent(token)}` : '';
    const deadline = Date.now() + (this.options.readWaitMs ?? 10_000);
    for (;;) {
      const pipeline = await this.client.get<PipelineView>(`/pipelines/${id}${query}`);
      if (pipeline) return pipeline;
      if (Date.now() > deadline) {
        const message = `pipeline ${id} exists but cannot be read`;
        throw new RelateError('IMPORT.PIPELINE_NOT_READABLE', 'not_found', message);
      }
      await this.sleep(250);
    }
  }

  /**
   * Reads the deals an earlier run left in the pipeline, a page at a time, so that a second run
   * sends nothing for a deal that is complete instead of two requests per deal.
   */
  private async listImportedDeals(): Promise<void> {
    const pipelineId = this.plan.pipeline.body.id;
    const limit = 500;
    for (let page = 1; ; page += 1) {
      const query = `pipelineId=${pipelineId}&page=${page}&limit=${limit}`;
      const answer = await this.client.get<Page<DealView>>(`/deals?${query}`);
      for (const deal of answer?.items ?? []) this.knownStages.set(deal.id, deal.stageId);
      if (!answer || answer.items.length < limit) return;
    }
  }

  private async importDeal(deal: DealCommand): Promise<void> {
    try {
      const known = this.knownStages.get(deal.body.id);
      let steps = deal.steps;
      if (known === undefined) {
        const created = await this.client.create('/deals', {
          ...deal.body,
          pipelineId: this.plan.pipeline.body.id,
          stageId: this.stageIds.get(deal.openStage),
        });
        this.outcome.counts.deals[created === 'created' ? 'created' : 'existing'] += 1;
        if (created === 'exists') steps = await this.remainingSteps(deal);
      } else {
        this.outcome.counts.deals.existing += 1;
        steps = this.stepsAfter(deal, known);
      }
      this.outcome.steps.alreadyDone += deal.steps.length - steps.length;
      await this.applySteps(deal, steps);
      this.outcome.completed[deal.finalStage] += 1;
      this.options.progress.advance();
    } catch (error) {
      this.fail('deals', deal.source, error);
    }
  }

  /**
   * Runs the steps in order. A step the service refuses as a conflict may have been applied by an
   * earlier, interrupted run: the deal is read again and only what is still missing is sent.
   */
  private async applySteps(deal: DealCommand, steps: DealStep[]): Promise<void> {
    let pending = steps;
    for (let reconciled = 0; pending.length > 0;) {
      try {
        await this.applyStep(deal.body.id, pending[0]);
        this.outcome.steps.applied += 1;
        pending = pending.slice(1);
      } catch (error) {
        const refused = error instanceof RelateError && isConflict(error);
        if (!refused || reconciled >= 2) throw error;
        reconciled += 1;
        await this.sleep(500);
        pending = await this.remainingSteps(deal);
      }
    }
  }

  private applyStep(dealId: string, step: DealStep): Promise<unknown> {
    const path = `/deals/${dealId}`;
    switch (step.kind) {
      case 'move':
        return this.client.post(`${path}/stage`, {
          stageId: this.stageIds.get(step.stage),
          occurredAt: step.occurredAt,
        });
      case 'won':
        return this.client.post(`${path}/won`, { value: step.value, occurredAt: step.occurredAt });
      case 'lost':
        return this.client.post(`${path}/lost`, {
          reason: step.reason,
          occurredAt: step.occurredAt,
        });
    }
  }

  /** Reads the deal and keeps the planned steps after the stage it is in now. */
  private async remainingSteps(deal: DealCommand): Promise<DealStep[]> {
    const view = await this.readDeal(deal.body.id);

    return this.stepsAfter(deal, view.stageId);
  }

  private stepsAfter(deal: DealCommand, stageId: string): DealStep[] {
    const current = this.stageNames.get(stageId);
    const path: MavenStage[] = [deal.openStage, ...deal.steps.map(stageAfter)];
    const position = current === undefined ? -1 : path.lastIndexOf(current);
    if (position < 0) {
      const message = `deal is in a stage outside its imported history; left as it is`;
      throw new RelateError('IMPORT.DEAL_DIVERGED', 'illegal_state', message);
    }

    return deal.steps.slice(position);
  }

  /** The read model may not have seen a deal created a moment ago by an interrupted run. */
  private async readDeal(id: string): Promise<DealView> {
    const deadline = Date.now() + (this.options.readWaitMs ?? 10_000);
    for (;;) {
      const view = await this.client.get<DealView>(`/deals/${id}`);
      if (view) return view;
      if (Date.now() > deadline) {
        throw new RelateError('IMPORT.DEAL_NOT_READABLE', 'not_found', 'deal exists but reads 404');
      }
      await this.sleep(250);
    }
  }

  private fail(kind: ImportedKind, source: RowRef, error: unknown): void {
    if (error instanceof RelateError && error.code === UNREACHABLE) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    this.outcome.counts[kind].failed += 1;
    this.outcome.failures.push({ ...source, reason });
    this.options.progress.advance('failed');
  }
}

function stageAfter(step: DealStep): MavenStage {
  switch (step.kind) {
    case 'move':
      return step.stage;
    case 'won':
      return 'Won';
    case 'lost':
      return 'Lost';
  }
}

function isConflict(error: RelateError): boolean {
  return error.category === 'conflict' || error.category === 'illegal_state';
}
