import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';

import {
  AssignOwnerRequest,
  ChangeCompanyRequest,
  CommandContext,
  CompanyListQuery,
  CompanyView,
  Page,
  RegisterCompanyRequest,
  WriteResult,
} from '@relate/contracts';
import { Consistency, Ctx, IfMatch, ReadModels, TenantId } from '@relate/service-kit';

import { companyNotFound } from '../contacts.errors';
import { CompaniesProjection } from './companies.projection';
import { CompaniesRepository } from './companies.repository';
import { CompaniesService } from './companies.service';

@Controller('companies')
export class CompaniesController {
  constructor(
    private readonly companies: CompaniesService,
    private readonly queries: CompaniesRepository,
    private readonly readModels: ReadModels,
  ) {}

  @Post()
  register(@Ctx() context: CommandContext, @Body() body: RegisterCompanyRequest) {
    return this.companies.register(context, body);
  }

  @Patch(':id')
  change(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: ChangeCompanyRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.companies.change(context, id, body, expectedVersion);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @Body() body: AssignOwnerRequest,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.companies.assignOwner(context, id, body.ownerId, expectedVersion);
  }

  @Post(':id/archive')
  @HttpCode(200)
  archive(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.companies.archive(context, id, expectedVersion);
  }

  @Post(':id/unarchive')
  @HttpCode(200)
  unarchive(
    @Ctx() context: CommandContext,
    @Param('id') id: string,
    @IfMatch() expectedVersion?: number,
  ): Promise<WriteResult> {
    return this.companies.unarchive(context, id, expectedVersion);
  }

  @Get()
  async list(
    @TenantId() tenantId: string,
    @Query() query: CompanyListQuery,
    @Consistency() token?: string,
  ): Promise<Page<CompanyView>> {
    await this.readModels.waitFor(token, [CompaniesProjection]);

    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<CompanyView> {
    await this.readModels.waitFor(token, [CompaniesProjection]);

    const company = await this.queries.find(tenantId, id);
    if (!company) {
      throw companyNotFound(id);
    }

    return company;
  }
}
