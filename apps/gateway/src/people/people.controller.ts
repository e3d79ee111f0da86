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

import { Page, PersonView, WriteResult } from '@relate/contracts';
import { HttpResponse } from '@relate/service-kit';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { AssignOwnerDto } from '../companies/companies.dto';
import { Caller, CallerOf } from '../http/caller';
import { Forwarding } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
import { ContactsClient } from '../http/service.client';
import {
  ChangePersonDto,
  LinkPersonToCompanyDto,
  PersonListQueryDto,
  RecordLeadSourceDto,
  RegisterPersonDto,
} from './people.dto';

@Controller('people')
@UseGuards(ApiKeyGuard)
export class PeopleController {
  private readonly forward: Forwarding;

  constructor(contacts: ContactsClient) {
    this.forward = new Forwarding(contacts);
  }

  @Post()
  register(
    @CallerOf() caller: Caller,
    @Body() body: RegisterPersonDto,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    return this.forward.command(caller, { method: 'POST', path: '/people', body }, response);
  }

  @Patch(':id')
  change(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Body() body: ChangePersonDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('people', id);

    return this.forward.command(caller, { method: 'PATCH', path, body, ifMatch }, response);
  }

  @Post(':id/company')
  @HttpCode(200)
  linkToCompany(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Body() body: LinkPersonToCompanyDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('people', id, 'company');

    return this.forward.command(caller, { method: 'POST', path, body, ifMatch }, response);
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
    const path = pathOf('people', id, 'owner');

    return this.forward.command(caller, { method: 'POST', path, body, ifMatch }, response);
  }

  @Post(':id/lead-source')
  @HttpCode(200)
  recordLeadSource(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Body() body: RecordLeadSourceDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    const path = pathOf('people', id, 'lead-source');

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
    const path = pathOf('people', id, 'archive');

    return this.forward.command(caller, { method: 'POST', path, ifMatch }, response);
  }

  @Get()
  list(
    @CallerOf() caller: Caller,
    @Query() query: PersonListQueryDto,
    @Headers('x-consistency-token') token?: string,
  ): Promise<Page<PersonView>> {
    return this.forward.list(caller, '/people', query, token);
  }

  @Get(':id')
  get(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
    @Res({ passthrough: true }) response: HttpResponse,
    @Headers('x-consistency-token') token?: string,
  ): Promise<PersonView> {
    return this.forward.one(caller, pathOf('people', id), { query, token }, response);
  }
}
