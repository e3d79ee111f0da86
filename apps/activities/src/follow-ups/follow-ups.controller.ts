import { Controller, Get, Query } from '@nestjs/common';

import { CommandContext, FollowUpsQuery, FollowUpsView } from '@relate/contracts';
import { Consistency, Ctx, ReadModels } from '@relate/service-kit';

import { WorkProjection } from '../activities/work.projection';
import { RecordsProjection } from '../records/records.projection';
import { FollowUpsService } from './follow-ups.service';

@Controller('follow-ups')
export class FollowUpsController {
  constructor(
    private readonly followUps: FollowUpsService,
    private readonly readModels: ReadModels,
  ) {}

  /** The calling rep's day, or a given owner's (`?ownerId=`). */
  @Get('today')
  async today(
    @Ctx() context: CommandContext,
    @Query() query: FollowUpsQuery,
    @Consistency() token?: string,
  ): Promise<FollowUpsView> {
    await this.readModels.waitFor(context.tenantId, token, [WorkProjection, RecordsProjection]);

    return this.followUps.today(context.tenantId, context.actor.id, query);
  }
}
