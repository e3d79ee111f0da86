import { Inject, Injectable } from '@nestjs/common';

import {
  ChangeDealRequest,
  CommandContext,
  dealStreamId,
  EventEnvelope,
  MarkDealLostRequest,
  MarkDealWonRequest,
  MoveDealRequest,
  OpenDealRequest,
  PipelineStreams,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator, PostgresEventStore } from '@relate/event-store';
import {
  AggregateRepository,
  CommandTarget,
  EventSourcedRepository,
  ID_GENERATOR,
} from '@relate/service-kit';

import { PipelineState } from '../pipelines/pipeline.decider';
import { PipelinesService } from '../pipelines/pipelines.service';
import { dealNotFound, rejectField } from '../pipeline.errors';
import { ProductsService } from '../products/products.service';
import { DealCommand, dealDecider, DealState } from './deal.decider';

/** Deal commands: load the deal (and its pipeline), decide, append. Rules live in the decider. */
@Injectable()
export class DealsService {
  private readonly deals: AggregateRepository<DealCommand, DealState>;

  constructor(
    repository: EventSourcedRepository,
    private readonly store: PostgresEventStore,
    private readonly pipelines: PipelinesService,
    private readonly products: ProductsService,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.deals = repository.of(dealDecider, PipelineStreams.deal);
  }

  async open(context: CommandContext, request: OpenDealRequest): Promise<WriteResult> {
    const dealId = request.id ?? this.ids.next();
    const pipeline = request.pipelineId
      ? await this.pipelines.load(context.tenantId, request.pipelineId)
      : (await this.pipelines.ensureDefault(context)).pipeline;
    if (!pipeline.defined) {
      rejectField('pipelineId', 'names no pipeline of this tenant');
    }
    await this.assertProductExists(context.tenantId, request.productId);

    return this.deals.execute({ context, id: dealId }, () =>
      openDealCommand(dealId, request, pipeline),
    );
  }

  move(target: CommandTarget, request: MoveDealRequest): Promise<WriteResult> {
    return this.deals.execute(target, async (state) => ({
      type: 'MoveDealToStage',
      dealId: target.id,
      pipeline: await this.pipelineOf(target, state),
      stageId: request.stageId,
      occurredAt: request.occurredAt,
    }));
  }

  async change(target: CommandTarget, changes: ChangeDealRequest): Promise<WriteResult> {
    await this.assertProductExists(target.context.tenantId, changes.productId);

    return this.deals.execute(target, { type: 'ChangeDealDetails', dealId: target.id, changes });
  }

  assignOwner(target: CommandTarget, ownerId: string): Promise<WriteResult> {
    return this.deals.execute(target, { type: 'AssignDealOwner', dealId: target.id, ownerId });
  }

  markWon(target: CommandTarget, request: MarkDealWonRequest): Promise<WriteResult> {
    return this.deals.execute(target, async (state) => ({
      type: 'MarkDealWon',
      dealId: target.id,
      pipeline: await this.pipelineOf(target, state),
      value: request.value,
      occurredAt: request.occurredAt,
    }));
  }

  markLost(target: CommandTarget, request: MarkDealLostRequest): Promise<WriteResult> {
    return this.deals.execute(target, async (state) => ({
      type: 'MarkDealLost',
      dealId: target.id,
      pipeline: await this.pipelineOf(target, state),
      reason: request.reason,
      occurredAt: request.occurredAt,
    }));
  }

  /** The deal's events, from the event store itself: the history is never behind. */
  async history(tenantId: string, dealId: string): Promise<EventEnvelope[]> {
    const events = await this.store.readStream(tenantId, dealStreamId(tenantId, dealId));
    if (events.length === 0) {
      throw dealNotFound(dealId);
    }

    return events;
  }

  private async assertProductExists(tenantId: string, productId: string | null | undefined) {
    if (productId && !(await this.products.exists(tenantId, productId))) {
      rejectField('productId', 'names no product of this tenant');
    }
  }

  /** The definition of the pipeline a deal is in, which rules on its stages. */
  private pipelineOf(target: CommandTarget, deal: DealState): Promise<PipelineState> {
    return this.pipelines.load(target.context.tenantId, deal.pipelineId);
  }
}

/**
 * The decider's command for an open request, with the defaults of a field left out. Exported
 * for the benchmark's bulk load, which decides the same commands without HTTP.
 */
export function openDealCommand(
  dealId: string,
  request: OpenDealRequest,
  pipeline: PipelineState,
): DealCommand {
  return {
    type: 'OpenDeal',
    dealId,
    title: request.title,
    pipeline,
    stageId: request.stageId ?? null,
    companyId: request.companyId ?? null,
    personId: request.personId ?? null,
    ownerId: request.ownerId ?? null,
    productId: request.productId ?? null,
    value: request.value ?? null,
    currency: request.currency ?? 'USD',
    expectedCloseDate: request.expectedCloseDate ?? null,
    occurredAt: request.occurredAt,
  };
}
