import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';

import {
  AddProductRequest,
  CommandContext,
  Page,
  PageQuery,
  ProductView,
  WriteResult,
} from '@relate/contracts';
import { Consistency, Ctx, orNotFound, ReadModels, TenantId } from '@relate/service-kit';

import { productNotFound } from '../pipeline.errors';
import { ProductsProjection } from './products.projection';
import { ProductsRepository } from './products.repository';
import { ProductsService } from './products.service';

@Controller('products')
export class ProductsController {
  constructor(
    private readonly products: ProductsService,
    private readonly queries: ProductsRepository,
    private readonly readModels: ReadModels,
  ) {}

  @Post()
  add(@Ctx() context: CommandContext, @Body() body: AddProductRequest): Promise<WriteResult> {
    return this.products.add(context, body);
  }

  @Get()
  async list(
    @TenantId() tenantId: string,
    @Query() query: PageQuery,
    @Consistency() token?: string,
  ): Promise<Page<ProductView>> {
    await this.readModels.waitFor(tenantId, token, [ProductsProjection]);

    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<ProductView> {
    await this.readModels.waitFor(tenantId, token, [ProductsProjection]);

    return orNotFound(await this.queries.find(tenantId, id), () => productNotFound(id));
  }
}
