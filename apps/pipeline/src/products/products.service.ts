import { Inject, Injectable } from '@nestjs/common';

import {
  AddProductRequest,
  CommandContext,
  productStreamId,
  PipelineStreams,
  WriteResult,
} from '@relate/contracts';
import { IdGenerator } from '@relate/event-store';
import { aggregateRef, EventSourcedRepository, ID_GENERATOR } from '@relate/service-kit';

import { productDecider } from './product.decider';

/** Product commands: load, decide, append. */
@Injectable()
export class ProductsService {
  constructor(
    private readonly repository: EventSourcedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {}

  add(context: CommandContext, request: AddProductRequest): Promise<WriteResult> {
    const productId = request.id ?? this.ids.next();

    return this.repository.execute({
      decider: productDecider,
      aggregate: aggregateRef(PipelineStreams.product, context.tenantId, productId),
      context,
      command: () => ({
        type: 'AddProduct',
        productId,
        name: request.name,
        series: request.series ?? null,
        listPrice: request.listPrice ?? null,
      }),
    });
  }

  async exists(tenantId: string, productId: string): Promise<boolean> {
    const streamId = productStreamId(tenantId, productId);
    const { version } = await this.repository.load(productDecider, tenantId, streamId);

    return version > 0;
  }
}
