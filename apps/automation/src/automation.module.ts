import { DynamicModule, Module } from '@nestjs/common';

import { PlatformModule, ServiceSettings } from '@relate/service-kit';

/** The automation service: rules, reminders, emails, notifications and webhooks. */
@Module({})
export class AutomationModule {
  static register(settings: ServiceSettings): DynamicModule {
    return {
      module: AutomationModule,
      imports: [
        PlatformModule.register({
          service: 'automation',
          owns: 'automation',
          errorNamespace: 'AUTOMATION',
          settings,
          projections: () => [],
        }),
      ],
      controllers: [],
      providers: [],
    };
  }
}
