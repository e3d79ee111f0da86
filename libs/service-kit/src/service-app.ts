import { DynamicModule, INestApplication, Logger, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { ServiceEnv } from '@relate/config';
import { installStructuredLogging, installTraceContext } from '@relate/observability';

import { ServiceSettings } from './service-settings';

/** Nest log levels unless the settings say otherwise: all but debug and verbose. */
export const DEFAULT_LOG_LEVELS: LogLevel[] = ['log', 'error', 'warn', 'fatal'];

/**
 * A Nest application of Relate, not yet listening. `abortOnError: false`: a failure while
 * booting rejects, so that tests and the start tool see it instead of the process exiting.
 */
export function createNestApp<T extends INestApplication = INestApplication>(
  module: DynamicModule,
  logLevels: LogLevel[] | undefined,
): Promise<T> {
  return NestFactory.create<T>(module, {
    logger: logLevels ?? DEFAULT_LOG_LEVELS,
    abortOnError: false,
  });
}

/** The settings of an event-sourced service, as its environment gives them. */
export function serviceSettingsOf(env: ServiceEnv): ServiceSettings {
  return {
    databaseUrl: env.DATABASE_URL,
    kafkaBrokers: env.KAFKA_BROKERS,
    kafkaClientId: env.KAFKA_CLIENT_ID,
  };
}

export interface ServiceListener {
  app: INestApplication;
  host: string;
  port: number;
}

/**
 * The body of every `main.ts`: trace context first, then the app `create` builds from the
 * environment, listening until a signal closes it; the process exits 1 when it cannot start.
 */
export function runService(name: string, create: () => Promise<ServiceListener>): void {
  installStructuredLogging();
  const logger = new Logger(`${name.charAt(0).toUpperCase()}${name.slice(1)}`);
  const main = async () => {
    installTraceContext();
    const { app, host, port } = await create();
    app.enableShutdownHooks();
    await app.listen(port, host);
    logger.log(`${name} listening`, { host, port });
  };

  main().catch((error: unknown) => {
    logger.error(`${name} failed`, {
      error: error instanceof Error ? error.message : String(error),
    });
    process.exit(1);
  });
}
