import { Body, Controller, Get, Headers, Param, Post, Query, Res, UseGuards } from '@nestjs/common';

import { Page, ProductView, WriteResult } from '@relate/contracts';
import { HttpResponse } from '@relate/service-kit';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { Caller, CallerOf } from '../http/caller';
import { Forwarding } from '../http/forwarding';
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
  add(
    @CallerOf() caller: Caller,
    @Body() body: AddProductDto,
    @Res({ passthrough: true }) response: HttpResponse,
  ): Promise<WriteResult> {
    return this.forward.command(caller, { method: 'POST', path: '/products', body }, response);
  }

  @Get()
  list(
    @CallerOf() caller: Caller,
    @Query() query: PageQueryDto,
    @Headers('x-consistency-token') token?: string,
  ): Promise<Page<ProductView>> {
    return this.forward.list(caller, '/products', query, token);
  }

  @Get(':id')
  get(
    @CallerOf() caller: Caller,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
    @Res({ passthrough: true }) response: HttpResponse,
    @Headers('x-consistency-token') token?: string,
  ): Promise<ProductView> {
    return this.forward.one(caller, pathOf('products', id), { query, token }, response);
  }
}
