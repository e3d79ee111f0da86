import { DynamicModule, Module } from '@nestjs/common';

import { PlatformModule, ServiceSettings } from '@relate/service-kit';

/** The reporting service: read models over every topic; it owns no events. */
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
          projections: () => [],
        }),
      ],
      controllers: [],
      providers: [],
    };
  }
}
