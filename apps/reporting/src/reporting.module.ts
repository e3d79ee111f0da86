import { DynamicModule, Module } from '@nestjs/common';
import { Pool } from 'pg';

import { PlatformModule, ServiceSettings } from '@relate/service-kit';

import { ReportFactsProjection } from './facts/report-facts.projection';
import { ReportFactsRepository } from './reports/report-facts.repository';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';

/** The reporting service: read models over the contacts and pipeline topics; owns no events. */
@Module({})
export class ReportingModule {
  static register(settings: ServiceSettings): DynamicModule {
    return {
      module: ReportingModule,
      imports: [
        PlatformModule.register({
          service: 'reporting',
          errorNamespace: 'REPORTING',
          settings,
          projections: (topics) => [new ReportFactsProjection([topics.contacts, topics.pipeline])],
        }),
      ],
      controllers: [ReportsController],
      providers: [
        {
          provide: ReportFactsRepository,
          inject: [Pool],
          useFactory: (pool: Pool) => new ReportFactsRepository(pool),
        },
        {
          provide: ReportsService,
          inject: [ReportFactsRepository],
          useFactory: (facts: ReportFactsRepository) => new ReportsService(facts),
        },
      ],
    };
  }
}
