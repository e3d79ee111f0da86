import { Body, Controller, Get, Param, Post, Query, UseGuards } from '@nestjs/common';

import { Page, ProductView, WriteResult } from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { Forwarding, Incoming, IncomingCall } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { PageQueryDto, ReadQueryDto } from '../http/query.dto';
import { PipelineClient } from '../http/service.client';
import { AddProductDto } from './products.dto';

@Controller('products')
@UseGuards(ApiKeyGuard)
export class ProductsController {
  private readonly forward: Forwarding;

  constructor(pipeline: PipelineClient) {
    this.forward = new Forwarding(pipeline);
  }

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
