import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';

import { DealView, EventEnvelope, Page, WriteResult } from '@relate/contracts';
import { HttpResponse } from '@relate/service-kit';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { AssignOwnerDto } from '../companies/companies.dto';
import { Caller, CallerOf } from '../http/caller';
import { Forwarding } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
import { PipelineClient } from '../http/service.client';
import {
  ChangeDealDto,
  DealListQueryDto,
  MarkDealLostDto,
  MarkDealWonDto,
  MoveDealDto,
  OpenDealDto,
} from './deals.dto';

@Controller('deals')
@UseGuards(ApiKeyGuard)
export class DealsController {
  private readonly forward: Forwarding;

  constructor(private readonly pipeline: PipelineClient) {
    this.forward = new Forwarding(pipeline);
  }

  @Post()
  open(
    @CallerOf() caller: Caller,
    @Body() body: OpenDealDto,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    return this.forward.command(caller, { method: 'POST', path: '/deals', body }, response);
  }

  @Post(':id/stage')
  @HttpCode(200)
  move(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Body() body: MoveDealDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('deals', id, 'stage');

    return this.forward.command(caller, { method: 'POST', path, body, ifMatch }, response);
  }

  @Patch(':id')
  change(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Body() body: ChangeDealDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('deals', id);

    return this.forward.command(caller, { method: 'PATCH', path, body, ifMatch }, response);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Body() body: AssignOwnerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('deals', id, 'owner');

    return this.forward.command(caller, { method: 'POST', path, body, ifMatch }, response);
  }

  @Post(':id/won')
  @HttpCode(200)
  markWon(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Body() body: MarkDealWonDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('deals', id, 'won');

    return this.forward.command(caller, { method: 'POST', path, body, ifMatch }, response);
  }

  @Post(':id/lost')
  @HttpCode(200)
  markLost(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Body() body: MarkDealLostDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('deals', id, 'lost');

    return this.forward.command(caller, { method: 'POST', path, body, ifMatch }, response);
  }

  @Get()
  list(
    @CallerOf() caller: Caller,
    @Query() query: DealListQueryDto,
    @Headers('x-consistency-token') token?: string,
  ): Promise<Page<DealView>> {
    return this.forward.list(caller, '/deals', query, token);
  }

  @Get(':id')
  get(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
    @Res({ passthrough: true }) response: HttpResponse,
    @Headers('x-consistency-token') token?: string,
  ): Promise<DealView> {
    return this.forward.one(caller, pathOf('deals', id), { query, token }, response);
  }

  /** The deal's events from the event store, oldest first. */
  @Get(':id/history')
  history(@CallerOf() caller: Caller, @Param('id') id: string): Promise<EventEnvelope[]> {
    return this.pipeline.send(caller, 'GET', pathOf('deals', id, 'history'));
  }
}
