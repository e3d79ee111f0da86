import { DynamicModule, Module, Provider } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, ModuleRef } from '@nestjs/core';
import { Pool } from 'pg';

import {
  Clock,
  IdGenerator,
  OutboxRelay,
  PostgresEventStore,
  systemClock,
  uuidV7Ids,
} from '@relate/event-store';
import { EventPublisher, KafkaSettings, Projection } from '@relate/messaging';
import { MetricsRegistry, ProcessMetrics } from '@relate/observability';

import { EventSourcedRepository } from './event-sourced.repository';
import { HealthController } from './health.controller';
import { CLOCK, ID_GENERATOR, SERVICE_NAME } from './injection-tokens';
import { MetricsController } from './metrics.controller';
import { ParkedEventsController } from './parked-events.controller';
import { createPool } from './postgres-pool';
import { ReadModelsController } from './read-models.controller';
import { ReadModels } from './read-models.service';
import { RelateErrorFilter } from './relate-error.filter';
import { RequestTimingInterceptor } from './request-timing.interceptor';
import { outboxRelayMetrics } from './service-metrics';
import { EventWriter, ServiceRuntime } from './service-runtime';
import { ResolvedTopics, resolveTopics, ServiceSettings } from './service-settings';

export interface PlatformOptions {
  /** Names the service's schema, its Kafka clients and its consumer groups. */
  service: string;
  /**
   * The context whose events the service writes, to its own event store and through the outbox
   * relay to that context's topic. A service that only reads (reporting) owns none.
   */
  owns?: keyof ResolvedTopics;
  /** Namespace of the service's error codes, e.g. `CONTACTS`. */
  errorNamespace: string;
  settings: ServiceSettings;
  projections(topics: ResolvedTopics): Projection[];
  /**
   * Consumers that act on events (append events, send mail, call webhooks) rather than keep a
   * read model; they record progress like projections but a rebuild never runs them again.
   */
  reactors?(topics: ResolvedTopics): Projection[];
}

/**
 * What every service runs on: a pool on its schema, its projections and the HTTP error mapping;
 * and, for a service that owns a context, the event store and the outbox relay to its topic.
 */
@Module({})
export class PlatformModule {
  static register(options: PlatformOptions): DynamicModule {
    const { service, settings } = options;
    const topics = resolveTopics(settings);
    const prefix = settings.kafkaClientId ?? 'relate';
    const clientId = `${prefix}-${service}`;
    const kafka = { brokers: settings.kafkaBrokers, clientId };
    const writer = writerProviders(options, topics, kafka);

    return {
      module: PlatformModule,
      controllers: [
        HealthController,
        ReadModelsController,
        ParkedEventsController,
        MetricsController,
      ],
      providers: [
        { provide: SERVICE_NAME, useValue: service },
        // One registry per service: the e2e stack runs every service in one process.
        { provide: MetricsRegistry, useFactory: () => new MetricsRegistry(`relate.${service}`) },
        // Memory and event-loop delay; sampling stops when the app closes.
        {
          provide: ProcessMetrics,
          inject: [MetricsRegistry],
          useFactory: (metrics: MetricsRegistry) => new ProcessMetrics(metrics).start(),
        },
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
        ...writer,
        {
          provide: ReadModels,
          inject: [Pool, MetricsRegistry],
          useFactory: (pool: Pool, metrics: MetricsRegistry) =>
            new ReadModels(
              pool,
              kafka,
              options.projections(topics),
              { schema: service, topics, groupPrefix: prefix, metrics },
              options.reactors?.(topics) ?? [],
            ),
        },
        {
          provide: ServiceRuntime,
          inject: [Pool, ReadModels, ModuleRef],
          useFactory: (pool: Pool, readModels: ReadModels, modules: ModuleRef) =>
            new ServiceRuntime(service, pool, readModels, writerOf(modules, options)),
        },
        { provide: APP_FILTER, useClass: RelateErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: RequestTimingInterceptor },
      ],
      exports: [
        Pool,
        MetricsRegistry,
        ReadModels,
        CLOCK,
        ID_GENERATOR,
        ...(options.owns === undefined ? [] : [PostgresEventStore, EventSourcedRepository]),
      ],
    };
  }
}

function writerProviders(
  options: PlatformOptions,
  topics: ResolvedTopics,
  kafka: KafkaSettings,
): Provider[] {
  const { service, owns } = options;
  if (owns === undefined) {
    return [];
  }

  return [
    {
      provide: PostgresEventStore,
      inject: [Pool, CLOCK, ID_GENERATOR],
      useFactory: (pool: Pool, clock: Clock, ids: IdGenerator) =>
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
      inject: [Pool, EventPublisher, MetricsRegistry],
      useFactory: (pool: Pool, publisher: EventPublisher, metrics: MetricsRegistry) => {
        // TODO(#4): the hold-back warning thresholds are the relay's defaults (30 s, every
        // minute); they are not yet service settings.
        const relay = new OutboxRelay(pool, {
          schema: service,
          topic: topics[owns],
          publisher,
          metrics: outboxRelayMetrics(metrics),
        });
        // A scrape reads the hold-back age now, not as of the relay's last check.
        metrics.beforeCollect(async () => {
          await relay.refreshMetrics();
        });

        return relay;
      },
    },
  ];
}

function writerOf(modules: ModuleRef, options: PlatformOptions): EventWriter | undefined {
  if (options.owns === undefined) {
    return undefined;
  }

  return {
    store: modules.get(PostgresEventStore),
    publisher: modules.get(EventPublisher),
    relay: modules.get(OutboxRelay),
  };
}
