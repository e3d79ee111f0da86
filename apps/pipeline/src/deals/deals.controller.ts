import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';

import {
  AssignOwnerRequest,
  ChangeDealRequest,
  CommandContext,
  DealListQuery,
  DealView,
  EventEnvelope,
  MarkDealLostRequest,
  MarkDealWonRequest,
  MoveDealRequest,
  OpenDealRequest,
  Page,
  WriteResult,
} from '@relate/contracts';
import { Consistency, Ctx, IfMatch, ReadModels, TenantId } from '@relate/service-kit';

import { CompanyNamesProjection } from '../company-names/company-names.projection';
import { PipelinesProjection } from '../pipelines/pipelines.projection';
import { dealNotFound } from '../pipeline.errors';
import { DealsProjection } from './deals.projection';
import { DealsRepository } from './deals.repository';
import { DealsService } from './deals.service';

// A deal view joins deals with stage names and company names: three read models.
const DEAL_READ_MODELS = [DealsProjection, PipelinesProjection, CompanyNamesProjection];

@Controller('deals')
export class DealsController {
  constructor(
    private readonly deals: DealsService,
    private readonly queries: DealsRepository,
    private readonly readModels: ReadModels,
  ) {}

  @Post()
  open(@Ctx() context: CommandContext, @Body() body: OpenDealRequest): Promise<WriteResult> {
    return this.deals.open(context, body);
  }

  @Post(':id/stage')
  @HttpCode(200)
  move(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: MoveDealRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.deals.move(context, id, body, expectedVersion);
  }

  @Patch(':id')
  change(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: ChangeDealRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.deals.change(context, id, body, expectedVersion);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: AssignOwnerRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.deals.assignOwner(context, id, body.ownerId, expectedVersion);
  }

  @Post(':id/won')
  @HttpCode(200)
  markWon(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: MarkDealWonRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.deals.markWon(context, id, body, expectedVersion);
  }

  @Post(':id/lost')
  @HttpCode(200)
  markLost(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: MarkDealLostRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.deals.markLost(context, id, body, expectedVersion);
  }

  @Get()
  async list(
    @TenantId() tenantId: string,
    @Query() query: DealListQuery,
    @Consistency() token?: string,
  ): Promise<Page<DealView>> {
    await this.readModels.waitFor(token, DEAL_READ_MODELS);

    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<DealView> {
    await this.readModels.waitFor(token, DEAL_READ_MODELS);
    const deal = await this.queries.find(tenantId, id);
    if (!deal) {
      throw dealNotFound(id);
    }

    return deal;
  }

  @Get(':id/history')
  history(@TenantId() tenantId: string, @Param('id') id: string): Promise<EventEnvelope[]> {
    return this.deals.history(tenantId, id);
  }
}
