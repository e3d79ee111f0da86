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
import {
  CommandTarget,
  Consistency,
  Ctx,
  orNotFound,
  ReadModels,
  Target,
  TenantId,
} from '@relate/service-kit';

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
  move(@Target('id') target: CommandTarget, @Body() body: MoveDealRequest): Promise<WriteResult> {
    return this.deals.move(target, body);
  }

  @Patch(':id')
  change(
    @Target('id') target: CommandTarget,
    @Body() body: ChangeDealRequest,
  ): Promise<WriteResult> {
    return this.deals.change(target, body);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @Target('id') target: CommandTarget,
    @Body() body: AssignOwnerRequest,
  ): Promise<WriteResult> {
    return this.deals.assignOwner(target, body.ownerId);
  }

  @Post(':id/won')
  @HttpCode(200)
  markWon(
    @Target('id') target: CommandTarget,
    @Body() body: MarkDealWonRequest,
  ): Promise<WriteResult> {
    return this.deals.markWon(target, body);
  }

  @Post(':id/lost')
  @HttpCode(200)
  markLost(
    @Target('id') target: CommandTarget,
    @Body() body: MarkDealLostRequest,
  ): Promise<WriteResult> {
    return this.deals.markLost(target, body);
  }

  @Get()
  async list(
    @TenantId() tenantId: string,
    @Query() query: DealListQuery,
    @Consistency() token?: string,
  ): Promise<Page<DealView>> {
    await this.readModels.waitFor(tenantId, token, DEAL_READ_MODELS);

    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<DealView> {
    await this.readModels.waitFor(tenantId, token, DEAL_READ_MODELS);

    return orNotFound(await this.queries.find(tenantId, id), () => dealNotFound(id));
  }

  @Get(':id/history')
  history(@TenantId() tenantId: string, @Param('id') id: string): Promise<EventEnvelope[]> {
    return this.deals.history(tenantId, id);
  }
}
