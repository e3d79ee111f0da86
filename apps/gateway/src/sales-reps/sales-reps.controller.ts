import { Body, Controller, Get, Param, Patch, Post, Query, UseGuards } from '@nestjs/common';

import { Page, SalesRepView, WriteResult } from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { ContactsForwarding, Incoming, IncomingCall } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
import { ChangeSalesRepDto, RegisterSalesRepDto, SalesRepListQueryDto } from './sales-reps.dto';

/** Sales reps: the owners of companies, people and deals (contacts context). */
@Controller('reps')
@UseGuards(ApiKeyGuard)
export class SalesRepsController {
  constructor(private readonly forward: ContactsForwarding) {}

  @Post()
  register(
    @Incoming() call: IncomingCall,
    @Body() body: RegisterSalesRepDto,
  ): Promise<WriteResult> {
    return this.forward.create(call, '/reps', body);
  }

  /** Give an imported rep an email, or change their name, manager or office (If-Match). */
  @Patch(':id')
  change(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: ChangeSalesRepDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'PATCH', pathOf('reps', id), body);
  }

  @Get()
  list(
    @Incoming() call: IncomingCall,
    @Query() query: SalesRepListQueryDto,
  ): Promise<Page<SalesRepView>> {
    return this.forward.list(call, '/reps', query);
  }

  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<SalesRepView> {
    return this.forward.one(call, pathOf('reps', id), query);
  }
}
