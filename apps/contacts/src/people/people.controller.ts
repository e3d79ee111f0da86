import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';

import {
  AssignOwnerRequest,
  ChangePersonRequest,
  CommandContext,
  LinkPersonToCompanyRequest,
  Page,
  PersonListQuery,
  PersonView,
  RecordLeadSourceRequest,
  RegisterPersonRequest,
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

import { personNotFound } from '../contacts.errors';
import { PeopleProjection } from './people.projection';
import { PeopleRepository } from './people.repository';
import { PeopleService } from './people.service';

@Controller('people')
export class PeopleController {
  constructor(
    private readonly people: PeopleService,
    private readonly queries: PeopleRepository,
    private readonly readModels: ReadModels,
  ) {}

  @Post()
  register(@Ctx() context: CommandContext, @Body() body: RegisterPersonRequest) {
    return this.people.register(context, body);
  }

  @Patch(':id')
  change(
    @Target('id') target: CommandTarget,
    @Body() body: ChangePersonRequest,
  ): Promise<WriteResult> {
    return this.people.change(target, body);
  }

  @Post(':id/company')
  @HttpCode(200)
  linkToCompany(
    @Target('id') target: CommandTarget,
    @Body() body: LinkPersonToCompanyRequest,
  ): Promise<WriteResult> {
    return this.people.linkToCompany(target, body.companyId);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @Target('id') target: CommandTarget,
    @Body() body: AssignOwnerRequest,
  ): Promise<WriteResult> {
    return this.people.assignOwner(target, body.ownerId);
  }

  @Post(':id/lead-source')
  @HttpCode(200)
  recordLeadSource(
    @Target('id') target: CommandTarget,
    @Body() body: RecordLeadSourceRequest,
  ): Promise<WriteResult> {
    return this.people.recordLeadSource(target, body.leadSource);
  }

  @Post(':id/archive')
  @HttpCode(200)
  archive(@Target('id') target: CommandTarget): Promise<WriteResult> {
    return this.people.archive(target);
  }

  @Get()
  async list(
    @TenantId() tenantId: string,
    @Query() query: PersonListQuery,
    @Consistency() token?: string,
  ): Promise<Page<PersonView>> {
    await this.readModels.waitFor(tenantId, token, [PeopleProjection]);

    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<PersonView> {
    await this.readModels.waitFor(tenantId, token, [PeopleProjection]);

    return orNotFound(await this.queries.find(tenantId, id), () => personNotFound(id));
  }
}
