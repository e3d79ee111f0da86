import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR } from '@nestjs/core';
import { Pool } from 'pg';

import {
  Clock,
  OutboxRelay,
  PostgresEventStore,
  systemClock,
  uuidV7Ids,
} from '@relate/event-store';
import { EventPublisher, Projection } from '@relate/messaging';

import { EventSourcedRepository } from './event-sourced.repository';
import { HealthController } from './health.controller';
import { CLOCK, ID_GENERATOR, SERVICE_NAME } from './injection-tokens';
import { createPool } from './postgres-pool';
import { ReadModels } from './read-models.service';
import { RelateErrorFilter } from './relate-error.filter';
import { RequestTimingInterceptor } from './request-timing.interceptor';
import { ServiceRuntime } from './service-runtime';
import { ResolvedTopics, resolveTopics, ServiceSettings } from './service-settings';

export interface PlatformOptions {
  /** `contacts` or `pipeline`: names the schema, the Kafka clients and the owned topic. */
  service: keyof ResolvedTopics;
  /** Namespace of the service's error codes, e.g. `CONTACTS`. */
  errorNamespace: string;
  settings: ServiceSettings;
  projections(topics: ResolvedTopics): Projection[];
}

/**
 * What every event-sourced service runs on: a pool on its schema, the event store, the outbox
 * relay to its topic, its projections, and the HTTP error mapping.
 */
@Module({})
export class PlatformModule {
  static register(options: PlatformOptions): DynamicModule {
    const { service, settings } = options;
    const topics = resolveTopics(settings);
    const prefix = settings.kafkaClientId ?? 'relate';
    const clientId = `${prefix}-${service}`;
    const kafka = { brokers: settings.kafkaBrokers, clientId };

    return {
      module: PlatformModule,
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        { provide: CLOCK, useValue: settings.clock ?? systemClock },
        { provide: ID_GENERATOR, useValue: settings.ids ?? uuidV7Ids },
        {
          provide: Pool,
          useFactory: () =>
            createPool(service, {
              connectionString: settings.databaseUrl,
              max: settings.poolSize ?? 10,
            }),
        },
        {
          provide: PostgresEventStore,
          inject: [Pool, CLOCK, ID_GENERATOR],
          useFactory: (pool: Pool, clock: Clock, ids: typeof uuidV7Ids) =>
            new PostgresEventStore(pool, { schema: service, clock, ids }),
        },
        {
          provide: EventSourcedRepository,
          inject: [PostgresEventStore, CLOCK],
          useFactory: (store: PostgresEventStore, clock: Clock) =>
            new EventSourcedRepository(store, clock, options.errorNamespace),
        },
        { provide: EventPublisher, useFactory: () => new EventPublisher(kafka) },
        {
          provide: OutboxRelay,
          inject: [Pool, EventPublisher],
          useFactory: (pool: Pool, publisher: EventPublisher) =>
            new OutboxRelay(pool, { schema: service, topic: topics[service], publisher }),
        },
        {
          provide: ReadModels,
          inject: [Pool],
          useFactory: (pool: Pool) =>
            new ReadModels(pool, kafka, options.projections(topics), {
              schema: service,
              topics,
              groupPrefix: prefix,
            }),
        },
        {
          provide: ServiceRuntime,
          inject: [Pool, PostgresEventStore, EventPublisher, OutboxRelay, ReadModels],
          useFactory: (
            ...deps: [Pool, PostgresEventStore, EventPublisher, OutboxRelay, ReadModels]
          ) => new ServiceRuntime(service, ...deps),
        },
        { provide: APP_FILTER, useClass: RelateErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestTimingInterceptor },
      ],
      exports: [Pool, PostgresEventStore, EventSourcedRepository, ReadModels, CLOCK, ID_GENERATOR],
    };
  }
}
