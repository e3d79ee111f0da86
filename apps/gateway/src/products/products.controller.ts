import { Body, Controller, Get, Param, Post, Query, UseGuards } from '@nestjs/common';

import { Page, ProductView, WriteResult } from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { Incoming, IncomingCall, PipelineForwarding } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { PageQueryDto, ReadQueryDto } from '../http/query.dto';
import { AddProductDto } from './products.dto';

@Controller('products')
@UseGuards(ApiKeyGuard)
export class ProductsController {
  constructor(private readonly forward: PipelineForwarding) {}

  @Post()
  add(@Incoming() call: IncomingCall, @Body() body: AddProductDto): Promise<WriteResult> {
    return this.forward.create(call, '/products', body);
  }

  @Get()
  list(@Incoming() call: IncomingCall, @Query() query: PageQueryDto): Promise<Page<ProductView>> {
    return this.forward.list(call, '/products', query);
  }

  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<ProductView> {
    return this.forward.one(call, pathOf('products', id), query);
  }
}
