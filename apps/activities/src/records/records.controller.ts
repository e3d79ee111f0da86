import { Controller, Get, Param, Query } from '@nestjs/common';

import { EngagementView, Page, PageQuery, TimelineItem } from '@relate/contracts';
import { Consistency, pagingOf, ReadModels, TenantId } from '@relate/service-kit';

import { recordNotFound } from '../activities.errors';
import { WorkProjection } from '../activities/work.projection';
import { RecordsProjection } from './records.projection';
import { RecordsRepository, RecordType } from './records.repository';

const READ_MODELS = [WorkProjection, RecordsProjection];

const NAMES: Record<RecordType, string> = { person: 'Person', company: 'Company', deal: 'Deal' };

/** Timelines and engagement of people, companies and deals, as the activities service sees them. */
@Controller()
export class RecordsController {
  constructor(
    private readonly records: RecordsRepository,
    private readonly readModels: ReadModels,
  ) {}

  @Get('people/:id/timeline')
  personTimeline(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Query() query: PageQuery,
    @Consistency() token?: string,
  ) {
    return this.timeline(tenantId, 'person', id, query, token);
  }

  @Get('companies/:id/timeline')
  companyTimeline(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Query() query: PageQuery,
    @Consistency() token?: string,
  ) {
    return this.timeline(tenantId, 'company', id, query, token);
  }

  @Get('deals/:id/timeline')
  dealTimeline(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Query() query: PageQuery,
    @Consistency() token?: string,
  ) {
    return this.timeline(tenantId, 'deal', id, query, token);
  }

  @Get('people/:id/engagement')
  personEngagement(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ) {
    return this.engagement(tenantId, 'person', id, token);
  }

  @Get('companies/:id/engagement')
  companyEngagement(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ) {
    return this.engagement(tenantId, 'company', id, token);
  }

  private async timeline(
    tenantId: string,
    type: RecordType,
    id: string,
    query: PageQuery,
    token: string | undefined,
  ): Promise<Page<TimelineItem>> {
    await this.assertKnown(tenantId, type, id, token);

    return this.records.timeline(tenantId, type, id, pagingOf(query));
  }

  private async engagement(
    tenantId: string,
    type: RecordType,
    id: string,
    token: string | undefined,
  ): Promise<EngagementView> {
    await this.assertKnown(tenantId, type, id, token);

    return this.records.engagement(tenantId, type, id);
  }

  /** Another tenant's record, or one this service has not heard of, is not found. */
  private async assertKnown(
    tenantId: string,
    type: RecordType,
    id: string,
    token: string | undefined,
  ): Promise<void> {
    await this.readModels.waitFor(tenantId, token, READ_MODELS);
    if (!(await this.records.exists(tenantId, type, id))) {
      throw recordNotFound(NAMES[type], id);
    }
  }
}
