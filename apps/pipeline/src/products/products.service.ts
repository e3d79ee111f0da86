import { Inject, Injectable } from '@nestjs/common';

import { AddProductRequest, CommandContext, PipelineStreams, WriteResult } from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import { AggregateRepository, EventSourcedRepository, ID_GENERATOR } from '@relate/service-kit';

import { ProductCommand, productDecider, ProductState } from './product.decider';

/** Product commands: load, decide, append. */
@Injectable()
export class ProductsService {
  private readonly products: AggregateRepository<ProductCommand, ProductState>;

  constructor(
    repository: EventSourcedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.products = repository.of(productDecider, PipelineStreams.product);
  }

  add(context: CommandContext, request: AddProductRequest): Promise<WriteResult> {
    const productId = request.id ?? this.ids.next();

    return this.products.execute(
      { context, id: productId },
      {
        type: 'AddProduct',
        productId,
        name: request.name,
        series: request.series ?? null,
        listPrice: request.listPrice ?? null,
      },
    );
  }

  async exists(tenantId: string, productId: string): Promise<boolean> {
    const { version } = await this.products.load(tenantId, productId);

    return version > 0;
  }
}
