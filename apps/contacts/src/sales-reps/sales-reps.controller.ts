import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';

import {
  ChangeSalesRepRequest,
  CommandContext,
  Page,
  RegisterSalesRepRequest,
  SalesRepListQuery,
  SalesRepView,
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

import { salesRepNotFound } from '../contacts.errors';
import { SalesRepsProjection } from './sales-reps.projection';
import { SalesRepsRepository } from './sales-reps.repository';
import { SalesRepsService } from './sales-reps.service';

@Controller('reps')
export class SalesRepsController {
  constructor(
    private readonly salesReps: SalesRepsService,
    private readonly queries: SalesRepsRepository,
    private readonly readModels: ReadModels,
  ) {}

  @Post()
  register(@Ctx() context: CommandContext, @Body() body: RegisterSalesRepRequest) {
    return this.salesReps.register(context, body);
  }

  @Patch(':id')
  change(
    @Target('id') target: CommandTarget,
    @Body() body: ChangeSalesRepRequest,
  ): Promise<WriteResult> {
    return this.salesReps.change(target, body);
  }

  @Get()
  async list(
    @TenantId() tenantId: string,
    @Query() query: SalesRepListQuery,
    @Consistency() token?: string,
  ): Promise<Page<SalesRepView>> {
    await this.readModels.waitFor(tenantId, token, [SalesRepsProjection]);

    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<SalesRepView> {
    await this.readModels.waitFor(tenantId, token, [SalesRepsProjection]);

    return orNotFound(await this.queries.find(tenantId, id), () => salesRepNotFound(id));
  }
}
