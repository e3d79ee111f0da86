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
import {
  CommandTarget,
  Consistency,
  Ctx,
  orNotFound,
  ReadModels,
  Target,
  TenantId,
} from '@relate/service-kit';

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
    @Target('id') target: CommandTarget,
    @Body() body: ChangeCompanyRequest,
  ): Promise<WriteResult> {
    return this.companies.change(target, body);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @Target('id') target: CommandTarget,
    @Body() body: AssignOwnerRequest,
  ): Promise<WriteResult> {
    return this.companies.assignOwner(target, body.ownerId);
  }

  @Post(':id/archive')
  @HttpCode(200)
  archive(@Target('id') target: CommandTarget): Promise<WriteResult> {
    return this.companies.archive(target);
  }

  @Post(':id/unarchive')
  @HttpCode(200)
  unarchive(@Target('id') target: CommandTarget): Promise<WriteResult> {
    return this.companies.unarchive(target);
  }

  @Get()
  async list(
    @TenantId() tenantId: string,
    @Query() query: CompanyListQuery,
    @Consistency() token?: string,
  ): Promise<Page<CompanyView>> {
    await this.readModels.waitFor(tenantId, token, [CompaniesProjection]);

    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<CompanyView> {
    await this.readModels.waitFor(tenantId, token, [CompaniesProjection]);

    return orNotFound(await this.queries.find(tenantId, id), () => companyNotFound(id));
  }
}
