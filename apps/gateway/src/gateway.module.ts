import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';

import { BackendService } from '@relate/config';
import { RelateErrorFilter, RequestTimingInterceptor } from '@relate/service-kit';

import { ACTIVITIES_CONTROLLERS } from './activities/activities.controllers';
import { ApiKeyGuard } from './auth/api-key.guard';
import { AUTOMATION_CONTROLLERS } from './automation/automation.controllers';
import { ApiKeys } from './auth/api-keys';
import { CompaniesController } from './companies/companies.controller';
import { DealsController } from './deals/deals.controller';
import { HealthController } from './health/health.controller';
import { backendProviders } from './http/backends';
import { JsonBodyMiddleware } from './http/json-body.middleware';
import { createValidationPipe } from './http/validation';
import { PeopleController } from './people/people.controller';
import { PipelinesController } from './pipelines/pipelines.controller';
import { REPORTING_CONTROLLERS } from './reporting/reporting.controllers';
import { ProductsController } from './products/products.controller';
import { SalesRepsController } from './sales-reps/sales-reps.controller';

export interface GatewaySettings {
  serviceUrls: Record<BackendService, string>;
  apiKeys: ApiKeys;
  /** Per call to a service; default 30 s. */
  serviceTimeoutMs?: number;
}

/** The public REST API: authentication, tenancy, validation and routing to the services. */
const CONTROLLERS = [
  HealthController,
  CompaniesController,
  PeopleController,
  SalesRepsController,
  ProductsController,
  PipelinesController,
  DealsController,
  ...ACTIVITIES_CONTROLLERS,
  ...AUTOMATION_CONTROLLERS,
  ...REPORTING_CONTROLLERS,
];

@Module({})
export class GatewayModule implements NestModule {
  static register(settings: GatewaySettings): DynamicModule {
    const timeout = settings.serviceTimeoutMs;

    return {
      module: GatewayModule,
      controllers: CONTROLLERS,
      providers: [
        { provide: ApiKeys, useValue: settings.apiKeys },
        ApiKeyGuard,
        ...backendProviders(settings.serviceUrls, timeout),
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_FILTER, useClass: RelateErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestTimingInterceptor },
      ],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(JsonBodyMiddleware).forRoutes(...CONTROLLERS);
  }
}
