import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';

import { Page, PersonView, WriteResult } from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { AssignOwnerDto } from '../companies/companies.dto';
import { ContactsForwarding, Incoming, IncomingCall } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
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
  constructor(private readonly forward: ContactsForwarding) {}

  @Post()
  register(@Incoming() call: IncomingCall, @Body() body: RegisterPersonDto): Promise<WriteResult> {
    return this.forward.create(call, '/people', body);
  }

  @Patch(':id')
  change(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: ChangePersonDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'PATCH', pathOf('people', id), body);
  }

  @Post(':id/company')
  @HttpCode(200)
  linkToCompany(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: LinkPersonToCompanyDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('people', id, 'company'), body);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: AssignOwnerDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('people', id, 'owner'), body);
  }

  @Post(':id/lead-source')
  @HttpCode(200)
  recordLeadSource(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: RecordLeadSourceDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('people', id, 'lead-source'), body);
  }

  @Post(':id/archive')
  @HttpCode(200)
  archive(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('people', id, 'archive'));
  }

  @Get()
  list(
    @Incoming() call: IncomingCall,
    @Query() query: PersonListQueryDto,
  ): Promise<Page<PersonView>> {
    return this.forward.list(call, '/people', query);
  }

  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<PersonView> {
    return this.forward.one(call, pathOf('people', id), query);
  }
}
