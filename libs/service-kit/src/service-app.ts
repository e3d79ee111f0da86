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

/** How long a service whose supervisor died may take to close before it exits anyway. */
export const ORPHAN_CLOSE_MS = 10_000;

type SupervisedProcess = Pick<NodeJS.Process, 'send' | 'channel' | 'once' | 'exit'>;

/**
 * A service started by a supervisor with an IPC channel (`npm start`) stops when the channel
 * closes: the supervisor is gone, even if killed with SIGKILL, and an orphan would hold its
 * port. Without a channel (run alone) nothing changes.
 */
export function closeWhenSupervisorGoes(
  app: Pick<INestApplication, 'close'>,
  logger: Logger,
  proc: SupervisedProcess = process,
): void {
  if (typeof proc.send !== 'function') {
    return;
  }
  // The channel alone must not keep the process alive once the app has closed.
  proc.channel?.unref();
  proc.once('disconnect', () => {
    logger.warn('supervisor gone: stopping');
    setTimeout(() => proc.exit(0), ORPHAN_CLOSE_MS).unref();
    app.close().then(
      () => proc.exit(0),
      () => proc.exit(1),
    );
  });
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
    closeWhenSupervisorGoes(app, logger);
  };

  main().catch((error: unknown) => {
    logger.error(`${name} failed`, {
      error: error instanceof Error ? error.message : String(error),
    });
    process.exit(1);
  });
}
