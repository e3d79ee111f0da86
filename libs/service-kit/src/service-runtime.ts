import { Logger, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Pool } from 'pg';

import { OutboxRelay, PostgresEventStore } from '@relate/event-store';
import { EventPublisher } from '@relate/messaging';

import { ReadModels } from './read-models.service';

/** What a service that owns a context writes with: its event store and the relay to Kafka. */
export interface EventWriter {
  store: PostgresEventStore;
  publisher: EventPublisher;
  relay: OutboxRelay;
}

/**
 * Starts and stops what runs beside the HTTP server: the event store's tables, the outbox relay
 * to Kafka and the projections. Stops in reverse order, and closes the pool last, once the
 * HTTP server no longer takes requests.
 */
export class ServiceRuntime implements OnModuleInit, OnModuleDestroy, OnApplicationShutdown {
  private readonly logger: Logger;

  constructor(
    private readonly service: string,
    private readonly pool: Pool,
    private readonly readModels: ReadModels,
    private readonly writer: EventWriter | undefined,
  ) {
    this.logger = new Logger(`${service}.${ServiceRuntime.name}`);
  }

  async onModuleInit(): Promise<void> {
    try {
      if (this.writer !== undefined) {
        await this.writer.store.migrate();
        await this.writer.publisher.connect();
        await this.writer.relay.start();
      }
      await this.readModels.start();
      this.logger.log('service started', { service: this.service });
    } catch (error) {
      this.logger.error('service failed to start', {
        service: this.service,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.readModels.stop();
    await this.writer?.relay.stop();
    await this.writer?.publisher.disconnect();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
    this.logger.log('service stopped', { service: this.service });
  }
}
