import { Body, Controller, Get, Param, Post } from '@nestjs/common';

import {
  CommandContext,
  DefinePipelineRequest,
  MAX_PAGE_LIMIT,
  Page,
  PipelineSummaryView,
  PipelineView,
  WriteResult,
} from '@relate/contracts';
import { Consistency, Ctx, orNotFound, ReadModels, TenantId } from '@relate/service-kit';

import { DealsProjection } from '../deals/deals.projection';
import { pipelineNotFound } from '../pipeline.errors';
import { PipelinesProjection } from './pipelines.projection';
import { PipelinesRepository } from './pipelines.repository';
import { PipelinesService } from './pipelines.service';

@Controller('pipelines')
export class PipelinesController {
  constructor(
    private readonly pipelines: PipelinesService,
    private readonly queries: PipelinesRepository,
    private readonly readModels: ReadModels,
  ) {}

  @Post()
  define(
    @Ctx() context: CommandContext,
    @Body() body: DefinePipelineRequest,
  ): Promise<WriteResult> {
    return this.pipelines.define(context, body);
  }

  /** Lists the tenant's pipelines; the default one is defined on the first call. */
  @Get()
  async list(
    @Ctx() context: CommandContext,
    @Consistency() token?: string,
  ): Promise<Page<PipelineView>> {
    const { consistencyToken } = await this.pipelines.ensureDefault(context);
    await this.readModels.waitFor(context.tenantId, consistencyToken, [PipelinesProjection]);
    await this.readModels.waitFor(context.tenantId, token, [PipelinesProjection]);

    const items = await this.queries.list(context.tenantId);

    // Tenants have a handful of pipelines: one page holds them all.
    return { items, page: 1, limit: MAX_PAGE_LIMIT, total: items.length };
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<PipelineView> {
    await this.readModels.waitFor(tenantId, token, [PipelinesProjection]);

    return orNotFound(await this.queries.find(tenantId, id), () => pipelineNotFound(id));
  }

  @Get(':id/summary')
  async summary(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<PipelineSummaryView> {
    await this.readModels.waitFor(tenantId, token, [PipelinesProjection, DealsProjection]);

    return orNotFound(await this.queries.summary(tenantId, id), () => pipelineNotFound(id));
  }
}
