import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';

import { DealView, EventEnvelope, Page, WriteResult } from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { AssignOwnerDto } from '../companies/companies.dto';
import { Incoming, IncomingCall, PipelineForwarding } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
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
  constructor(private readonly forward: PipelineForwarding) {}

  @Post()
  open(@Incoming() call: IncomingCall, @Body() body: OpenDealDto): Promise<WriteResult> {
    return this.forward.create(call, '/deals', body);
  }

  @Post(':id/stage')
  @HttpCode(200)
  move(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: MoveDealDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('deals', id, 'stage'), body);
  }

  @Patch(':id')
  change(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: ChangeDealDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'PATCH', pathOf('deals', id), body);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: AssignOwnerDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('deals', id, 'owner'), body);
  }

  @Post(':id/won')
  @HttpCode(200)
  markWon(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: MarkDealWonDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('deals', id, 'won'), body);
  }

  @Post(':id/lost')
  @HttpCode(200)
  markLost(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: MarkDealLostDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('deals', id, 'lost'), body);
  }

  @Get()
  list(@Incoming() call: IncomingCall, @Query() query: DealListQueryDto): Promise<Page<DealView>> {
    return this.forward.list(call, '/deals', query);
  }

  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<DealView> {
    return this.forward.one(call, pathOf('deals', id), query);
  }

  /** The deal's events from the event store, oldest first. */
  @Get(':id/history')
  history(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<EventEnvelope[]> {
    return this.forward.read(call, pathOf('deals', id, 'history'));
  }
}
