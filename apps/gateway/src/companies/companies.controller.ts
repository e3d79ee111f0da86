import {
  Body,
  Controller,
  Get,
  Headers,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';

import { CompanyView, Page, WriteResult } from '@relate/contracts';
import { HttpResponse } from '@relate/service-kit';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller, CallerOf } from '../http/caller';
import { Forwarding } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
import { ContactsClient } from '../http/service.client';
import {
  AssignOwnerDto,
  ChangeCompanyDto,
  CompanyListQueryDto,
  RegisterCompanyDto,
} from './companies.dto';

@Controller('companies')
@UseGuards(ApiKeyGuard)
export class CompaniesController {
  private readonly forward: Forwarding;

  constructor(contacts: ContactsClient) {
    this.forward = new Forwarding(contacts);
  }

  @Post()
  register(
    @CallerOf() caller: Caller,
    @Body() body: RegisterCompanyDto,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    return this.forward.command(caller, { method: 'POST', path: '/companies', body }, response);
  }

  @Patch(':id')
  change(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Body() body: ChangeCompanyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('companies', id);

    return this.forward.command(caller, { method: 'PATCH', path, body, ifMatch }, response);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Body() body: AssignOwnerDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('companies', id, 'owner');

    return this.forward.command(caller, { method: 'POST', path, body, ifMatch }, response);
  }

  @Post(':id/archive')
  @HttpCode(200)
  archive(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('companies', id, 'archive');

    return this.forward.command(caller, { method: 'POST', path, ifMatch }, response);
  }

  @Post(':id/unarchive')
  @HttpCode(200)
  unarchive(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('companies', id, 'unarchive');

    return this.forward.command(caller, { method: 'POST', path, ifMatch }, response);
  }

  @Get()
  list(
    @CallerOf() caller: Caller,
    @Query() query: CompanyListQueryDto,
    @Headers('x-consistency-token') token?: string,
  ): Promise<Page<CompanyView>> {
    return this.forward.list(caller, '/companies', query, token);
  }

  @Get(':id')
  get(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
    @Res({ passthrough: true }) response: HttpResponse,
    @Headers('x-consistency-token') token?: string,
  ): Promise<CompanyView> {
    return this.forward.one(caller, pathOf('companies', id), { query, token }, response);
  }
}
