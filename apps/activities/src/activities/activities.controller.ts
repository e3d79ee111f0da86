import { Body, Controller, Delete, Get, Param, Patch, Post, Query } from '@nestjs/common';

import {
  ActivityListQuery,
  ActivityView,
  CommandContext,
  CorrectActivityRequest,
  LogActivityRequest,
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

import { activityNotFound } from '../activities.errors';
import { ActivitiesRepository } from './activities.repository';
import { ActivitiesService } from './activities.service';
import { WorkProjection } from './work.projection';

@Controller('activities')
export class ActivitiesController {
  constructor(
    private readonly activities: ActivitiesService,
    private readonly queries: ActivitiesRepository,
    private readonly readModels: ReadModels,
  ) {}

  @Post()
  log(@Ctx() context: CommandContext, @Body() body: LogActivityRequest): Promise<WriteResult> {
    return this.activities.log(context, body);
  }

  @Patch(':id')
  correct(
    @Target('id') target: CommandTarget,
    @Body() body: CorrectActivityRequest,
  ): Promise<WriteResult> {
    return this.activities.correct(target, body);
  }

  /** Deleting is a command like any other: it appends ActivityDeleted, If-Match applies. */
  @Delete(':id')
  delete(@Target('id') target: CommandTarget): Promise<WriteResult> {
    return this.activities.delete(target);
  }

  @Get()
  async list(
    @TenantId() tenantId: string,
    @Query() query: ActivityListQuery,
    @Consistency() token?: string,
  ): Promise<Page<ActivityView>> {
    await this.readModels.waitFor(tenantId, token, [WorkProjection]);

    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<ActivityView> {
    await this.readModels.waitFor(tenantId, token, [WorkProjection]);

    return orNotFound(await this.queries.find(tenantId, id), () => activityNotFound(id));
  }
}
