import { Controller, Get, Param, Query, UseGuards } from '@nestjs/common';

import { EngagementView, FollowUpsView, Page, TimelineItem } from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { ActivitiesForwarding, Incoming, IncomingCall } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { PageQueryDto, ReadQueryDto } from '../http/query.dto';
import { FollowUpsQueryDto } from './activities.dto';

/**
 * What the activities service knows about people, companies and deals: their timelines
 * (activities, tasks and the record's own changes, newest first) and engagement. These routes
 * share their prefixes with the contacts and pipeline controllers but go to activities.
 */
@Controller()
@UseGuards(ApiKeyGuard)
export class RecordActivityController {
  constructor(private readonly forward: ActivitiesForwarding) {}

  @Get('people/:id/timeline')
  personTimeline(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<TimelineItem>> {
    return this.forward.list(call, pathOf('people', id, 'timeline'), query);
  }

  @Get('companies/:id/timeline')
  companyTimeline(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<TimelineItem>> {
    return this.forward.list(call, pathOf('companies', id, 'timeline'), query);
  }

  @Get('deals/:id/timeline')
  dealTimeline(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<TimelineItem>> {
    return this.forward.list(call, pathOf('deals', id, 'timeline'), query);
  }

  @Get('people/:id/engagement')
  personEngagement(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<EngagementView> {
    return this.forward.list(call, pathOf('people', id, 'engagement'), query);
  }

  @Get('companies/:id/engagement')
  companyEngagement(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<EngagementView> {
    return this.forward.list(call, pathOf('companies', id, 'engagement'), query);
  }

  /** The calling rep's day (or `?ownerId=`'s): overdue and due tasks, stale deals and contacts. */
  @Get('follow-ups/today')
  followUps(
    @Incoming() call: IncomingCall,
    @Query() query: FollowUpsQueryDto,
  ): Promise<FollowUpsView> {
    return this.forward.list(call, '/follow-ups/today', query);
  }
}
