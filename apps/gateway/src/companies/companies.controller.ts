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

import { CompanyView, Page, WriteResult } from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { ContactsForwarding, Incoming, IncomingCall } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
import {
  AssignOwnerDto,
  ChangeCompanyDto,
  CompanyListQueryDto,
  RegisterCompanyDto,
} from './companies.dto';

@Controller('companies')
@UseGuards(ApiKeyGuard)
export class CompaniesController {
  constructor(private readonly forward: ContactsForwarding) {}

  @Post()
  register(@Incoming() call: IncomingCall, @Body() body: RegisterCompanyDto): Promise<WriteResult> {
    return this.forward.create(call, '/companies', body);
  }

  @Patch(':id')
  change(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: ChangeCompanyDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'PATCH', pathOf('companies', id), body);
  }

  @Post(':id/owner')
  @HttpCode(200)
  assignOwner(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: AssignOwnerDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('companies', id, 'owner'), body);
  }

  @Post(':id/archive')
  @HttpCode(200)
  archive(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('companies', id, 'archive'));
  }

  @Post(':id/unarchive')
  @HttpCode(200)
  unarchive(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('companies', id, 'unarchive'));
  }

  @Get()
  list(
    @Incoming() call: IncomingCall,
    @Query() query: CompanyListQueryDto,
  ): Promise<Page<CompanyView>> {
    return this.forward.list(call, '/companies', query);
  }

  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<CompanyView> {
    return this.forward.one(call, pathOf('companies', id), query);
  }
}
