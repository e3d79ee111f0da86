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
import { EventSourcedRepository, ID_GENERATOR } from '@relate/service-kit';

import { PipelinesService } from '../pipelines/pipelines.service';
import { dealNotFound, rejectField } from '../pipeline.errors';
import { ProductsService } from '../products/products.service';
import { DealCommand, dealDecider, DealState } from './deal.decider';

type CommandBuilder = (state: DealState) => DealCommand | Promise<DealCommand>;

/** Deal commands: load the deal (and its pipeline), decide, append. Rules live in the decider. */
@Injectable()
export class DealsService {
  constructor(
    private readonly repository: EventSourcedRepository,
    private readonly store: PostgresEventStore,
    private readonly pipelines: PipelinesService,
    private readonly products: ProductsService,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  async open(context: CommandContext, request: OpenDealRequest): Promise<WriteResult> {
    const dealId = request.id ?? this.ids.next();
    const pipeline = request.pipelineId
      ? await this.pipelines.load(context.tenantId, request.pipelineId)
      : (await this.pipelines.ensureDefault(context)).pipeline;
    if (!pipeline.defined) {
      rejectField('pipelineId', 'names no pipeline of this tenant');
    }
    await this.assertProductExists(context.tenantId, request.productId);

    return this.execute(context, dealId, undefined, () => ({
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
    }));
  }

  move(context: CommandContext, dealId: string, request: MoveDealRequest, version?: number) {
    return this.execute(context, dealId, version, async (state) => ({
      type: 'MoveDealToStage',
      dealId,
      pipeline: await this.pipelines.load(context.tenantId, state.pipelineId),
      stageId: request.stageId,
      occurredAt: request.occurredAt,
    }));
  }

  async change(
    context: CommandContext,
    dealId: string,
    changes: ChangeDealRequest,
    version?: number,
  ): Promise<WriteResult> {
    await this.assertProductExists(context.tenantId, changes.productId);

    return this.execute(context, dealId, version, () => ({
      type: 'ChangeDealDetails',
      dealId,
      changes,
    }));
  }

  assignOwner(context: CommandContext, dealId: string, ownerId: string, version?: number) {
    return this.execute(context, dealId, version, () => ({
      type: 'AssignDealOwner',
      dealId,
      ownerId,
    }));
  }

  markWon(context: CommandContext, dealId: string, request: MarkDealWonRequest, version?: number) {
    return this.execute(context, dealId, version, async (state) => ({
      type: 'MarkDealWon',
      dealId,
      pipeline: await this.pipelines.load(context.tenantId, state.pipelineId),
      value: request.value,
      occurredAt: request.occurredAt,
    }));
  }

  markLost(
    context: CommandContext,
    dealId: string,
    request: MarkDealLostRequest,
    version?: number,
  ): Promise<WriteResult> {
    return this.execute(context, dealId, version, async (state) => ({
      type: 'MarkDealLost',
      dealId,
      pipeline: await this.pipelines.load(context.tenantId, state.pipelineId),
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

  private execute(
    context: CommandContext,
    dealId: string,
    expectedVersion: number | undefined,
    command: CommandBuilder,
  ): Promise<WriteResult> {
    return this.repository.execute({
      decider: dealDecider,
      aggregate: {
        id: dealId,
        streamId: dealStreamId(context.tenantId, dealId),
        streamType: PipelineStreams.deal.type,
      },
      context,
      expectedVersion,
      command,
    });
  }
}
