import { DynamicModule, Module } from '@nestjs/common';
import { Pool } from 'pg';

import { PlatformModule, ServiceSettings } from '@relate/service-kit';

import { CompanyNamesProjection } from './company-names/company-names.projection';
import { DealsController } from './deals/deals.controller';
import { DealsProjection } from './deals/deals.projection';
import { DealsRepository } from './deals/deals.repository';
import { DealsService } from './deals/deals.service';
import { PipelinesController } from './pipelines/pipelines.controller';
import { PipelinesProjection } from './pipelines/pipelines.projection';
import { PipelinesRepository } from './pipelines/pipelines.repository';
import { PipelinesService } from './pipelines/pipelines.service';
import { ProductsController } from './products/products.controller';
import { ProductsProjection } from './products/products.projection';
import { ProductsRepository } from './products/products.repository';
import { ProductsService } from './products/products.service';

const onPool = <T>(type: new (pool: Pool) => T) => ({
  provide: type,
  inject: [Pool],
  useFactory: (pool: Pool) => new type(pool),
});

/** The pipeline service: pipelines, products and deals; it projects company names. */
@Module({})
export class PipelineModule {
  static register(settings: ServiceSettings): DynamicModule {
    return {
      module: PipelineModule,
      imports: [
        PlatformModule.register({
          service: 'pipeline',
          owns: 'pipeline',
          errorNamespace: 'PIPELINE',
          settings,
          projections: (topics) => [
            new PipelinesProjection([topics.pipeline]),
            new ProductsProjection([topics.pipeline]),
            new DealsProjection([topics.pipeline]),
            new CompanyNamesProjection([topics.contacts]),
          ],
        }),
      ],
      controllers: [PipelinesController, ProductsController, DealsController],
      providers: [
        PipelinesService,
        ProductsService,
        DealsService,
        onPool(PipelinesRepository),
        onPool(ProductsRepository),
        onPool(DealsRepository),
      ],
    };
  }
}
