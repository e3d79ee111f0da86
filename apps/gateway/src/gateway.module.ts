import { DynamicModule, MiddlewareConsumer, Module, NestModule } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';

import { RelateErrorFilter, RequestTimingInterceptor } from '@relate/service-kit';

import { ApiKeyGuard } from './auth/api-key.guard';
import { ApiKeys } from './auth/api-keys';
import { CompaniesController } from './companies/companies.controller';
import { DealsController } from './deals/deals.controller';
import { HealthController } from './health/health.controller';
import { ContactsForwarding, PipelineForwarding } from './http/forwarding';
import { JsonBodyMiddleware } from './http/json-body.middleware';
import { ContactsClient, PipelineClient } from './http/service.client';
import { createValidationPipe } from './http/validation';
import { PeopleController } from './people/people.controller';
import { PipelinesController } from './pipelines/pipelines.controller';
import { ProductsController } from './products/products.controller';
import { SalesRepsController } from './sales-reps/sales-reps.controller';

export interface GatewaySettings {
  contactsUrl: string;
  pipelineUrl: string;
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
        {
          provide: ContactsClient,
          useFactory: () => new ContactsClient('contacts', settings.contactsUrl, timeout),
        },
        {
          provide: PipelineClient,
          useFactory: () => new PipelineClient('pipeline', settings.pipelineUrl, timeout),
        },
        {
          provide: ContactsForwarding,
          inject: [ContactsClient],
          useFactory: (client: ContactsClient) => new ContactsForwarding(client),
        },
        {
          provide: PipelineForwarding,
          inject: [PipelineClient],
          useFactory: (client: PipelineClient) => new PipelineForwarding(client),
        },
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
