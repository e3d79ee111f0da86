import { Body, Controller, Get, Headers, Param, Post, Query, Res, UseGuards } from '@nestjs/common';

import { Page, SalesRepView, WriteResult } from '@relate/contracts';
import { HttpResponse } from '@relate/service-kit';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller, CallerOf } from '../http/caller';
import { Forwarding } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
import { ContactsClient } from '../http/service.client';
import { RegisterSalesRepDto, SalesRepListQueryDto } from './sales-reps.dto';

/** Sales reps: the owners of companies, people and deals (contacts context). */
@Controller('reps')
@UseGuards(ApiKeyGuard)
export class SalesRepsController {
  private readonly forward: Forwarding;

  constructor(contacts: ContactsClient) {
    this.forward = new Forwarding(contacts);
  }

  @Post()
  register(
    @CallerOf() caller: Caller,
    @Body() body: RegisterSalesRepDto,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    return this.forward.command(caller, { method: 'POST', path: '/reps', body }, response);
  }

  @Get()
  list(
    @CallerOf() caller: Caller,
    @Query() query: SalesRepListQueryDto,
    @Headers('x-consistency-token') token?: string,
  ): Promise<Page<SalesRepView>> {
    return this.forward.list(caller, '/reps', query, token);
  }

  @Get(':id')
  get(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
    @Res({ passthrough: true }) response: HttpResponse,
    @Headers('x-consistency-token') token?: string,
  ): Promise<SalesRepView> {
    return this.forward.one(caller, pathOf('reps', id), { query, token }, response);
  }
}
