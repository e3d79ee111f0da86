import { Body, Controller, Get, Param, Post, Query, UseGuards } from '@nestjs/common';

import { Page, PipelineSummaryView, PipelineView, WriteResult } from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { Incoming, IncomingCall, PipelineForwarding } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
import { DefinePipelineDto } from './pipelines.dto';

@Controller('pipelines')
@UseGuards(ApiKeyGuard)
export class PipelinesController {
  constructor(private readonly forward: PipelineForwarding) {}

  @Post()
  define(@Incoming() call: IncomingCall, @Body() body: DefinePipelineDto): Promise<WriteResult> {
    return this.forward.create(call, '/pipelines', body);
  }

  /** The tenant's pipelines; the default pipeline appears on first use. */
  @Get()
  list(@Incoming() call: IncomingCall, @Query() query: ReadQueryDto): Promise<Page<PipelineView>> {
    return this.forward.list(call, '/pipelines', query);
  }

  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<PipelineView> {
    return this.forward.one(call, pathOf('pipelines', id), query);
  }

  /** Per stage: the number of deals and their total value. */
  @Get(':id/summary')
  summary(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<PipelineSummaryView> {
    return this.forward.list(call, pathOf('pipelines', id, 'summary'), query);
  }
}
