import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';

import { ActivityView, Page, WriteResult } from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { ActivitiesForwarding, Incoming, IncomingCall } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
import { ActivityListQueryDto, CorrectActivityDto, LogActivityDto } from './activities.dto';

@Controller('activities')
@UseGuards(ApiKeyGuard)
export class ActivitiesController {
  constructor(private readonly forward: ActivitiesForwarding) {}

  @Post()
  log(@Incoming() call: IncomingCall, @Body() body: LogActivityDto): Promise<WriteResult> {
    return this.forward.create(call, '/activities', body);
  }

  @Patch(':id')
  correct(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: CorrectActivityDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'PATCH', pathOf('activities', id), body);
  }

  /** Deleting is an event too (ActivityDeleted); If-Match applies like to any command. */
  @Delete(':id')
  @HttpCode(200)
  delete(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<WriteResult> {
    return this.forward.command(call, 'DELETE', pathOf('activities', id));
  }

  @Get()
  list(
    @Incoming() call: IncomingCall,
    @Query() query: ActivityListQueryDto,
  ): Promise<Page<ActivityView>> {
    return this.forward.list(call, '/activities', query);
  }

  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<ActivityView> {
    return this.forward.one(call, pathOf('activities', id), query);
  }
}
