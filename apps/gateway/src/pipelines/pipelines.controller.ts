import { Body, Controller, Get, Headers, Param, Post, Query, Res, UseGuards } from '@nestjs/common';

import { Page, PipelineSummaryView, PipelineView, WriteResult } from '@relate/contracts';
import { HttpResponse } from '@relate/service-kit';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller, CallerOf } from '../http/caller';
import { Forwarding } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
import { PipelineClient } from '../http/service.client';
import { DefinePipelineDto } from './pipelines.dto';

@Controller('pipelines')
@UseGuards(ApiKeyGuard)
export class PipelinesController {
  private readonly forward: Forwarding;

  constructor(pipeline: PipelineClient) {
    this.forward = new Forwarding(pipeline);
  }

  @Post()
  define(
    @CallerOf() caller: Caller,
    @Body() body: DefinePipelineDto,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    return this.forward.command(caller, { method: 'POST', path: '/pipelines', body }, response);
  }

  /** The tenant's pipelines; the default pipeline appears on first use. */
  @Get()
  list(
    @CallerOf() caller: Caller,
    @Query() query: ReadQueryDto,
    @Headers('x-consistency-token') token?: string,
  ): Promise<Page<PipelineView>> {
    return this.forward.list(caller, '/pipelines', query, token);
  }

  @Get(':id')
  get(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
    @Res({ passthrough: true }) response: HttpResponse,
    @Headers('x-consistency-token') token?: string,
  ): Promise<PipelineView> {
    return this.forward.one(caller, pathOf('pipelines', id), { query, token }, response);
  }

  /** Per stage: the number of deals and their total value. */
  @Get(':id/summary')
  summary(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
    @Headers('x-consistency-token') token?: string,
  ): Promise<PipelineSummaryView> {
    return this.forward.list(caller, pathOf('pipelines', id, 'summary'), query, token);
  }
}
