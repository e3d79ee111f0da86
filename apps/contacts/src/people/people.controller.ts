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
import { Consistency, Ctx, IfMatch, ReadModels, TenantId } from '@relate/service-kit';

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
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: ChangePersonRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.people.change(context, id, body, expectedVersion);
  }

  @Post(':id/company')
  @HttpCode(200)
  linkToCompany(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: LinkPersonToCompanyRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.people.linkToCompany(context, id, body.companyId, expectedVersion);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: AssignOwnerRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.people.assignOwner(context, id, body.ownerId, expectedVersion);
  }

  @Post(':id/lead-source')
  @HttpCode(200)
  recordLeadSource(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: RecordLeadSourceRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.people.recordLeadSource(context, id, body.leadSource, expectedVersion);
  }

  @Post(':id/archive')
  @HttpCode(200)
  archive(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.people.archive(context, id, expectedVersion);
  }

  @Get()
  async list(
    @TenantId() tenantId: string,
    @Query() query: PersonListQuery,
    @Consistency() token?: string,
  ): Promise<Page<PersonView>> {
    await this.readModels.waitFor(token, [PeopleProjection]);

    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<PersonView> {
    await this.readModels.waitFor(token, [PeopleProjection]);
    const person = await this.queries.find(tenantId, id);
    if (!person) {
      throw personNotFound(id);
    }

    return person;
  }
}
