import { DynamicModule, Module } from '@nestjs/common';

import { PlatformModule, ServiceSettings } from '@relate/service-kit';

/** The activities service: calls, emails, meetings, notes and tasks, and the timelines. */
@Module({})
export class ActivitiesModule {
  static register(settings: ServiceSettings): DynamicModule {
    return {
      module: ActivitiesModule,
      imports: [
        PlatformModule.register({
          service: 'activities',
          owns: 'activities',
          errorNamespace: 'ACTIVITIES',
          settings,
          projections: () => [],
        }),
      ],
      controllers: [],
      providers: [],
    };
  }
}
