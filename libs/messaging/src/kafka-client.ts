import { Logger } from '@nestjs/common';
import { Kafka, LogEntry, logCreator, logLevel, RetryOptions } from 'kafkajs';

/** How to reach Kafka (or the development broker). */
export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /**
   * Publish with an idempotent producer (InitProducerId), so a retried send cannot duplicate or
   * reorder records. Apache Kafka and the development broker both allow it. Default true.
   */
  idempotent?: boolean;
  /** TCP connect timeout; kafkajs' default of 1 s is tight on a busy laptop. Default 3000. */
  connectionTimeoutMs?: number;
  /** How a failed request or connection is retried; see {@link DEFAULT_KAFKA_RETRY}. */
  retry?: RetryOptions;
}

/**
 * kafkajs retries up to 30 s apart by default, so a client could wait half a minute after the
 * broker is back. Here it tries again at least every 2 s and gives up after about 12 s; the
 * relay and the consumers have their own retries above it.
 */
export const DEFAULT_KAFKA_RETRY: RetryOptions = {
  initialRetryTime: 300,
  maxRetryTime: 2_000,
  retries: 8,
};

/** A kafkajs client whose own log lines go to Nest's Logger, warnings and errors only. */
export function createKafkaClient(settings: KafkaSettings): Kafka {
  return new Kafka({
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: settings.connectionTimeoutMs ?? 3000,
    retry: settings.retry ?? DEFAULT_KAFKA_RETRY,
    logLevel: logLevel.WARN,
    logCreator: nestLogCreator,
  });
}

/**
 * kafkajs warns when an idempotent producer's retries are limited. EventPublisher replaces its
 * producer after a failed send, so what a limit costs is a duplicate on the topic (which every
 * consumer skips), never lost or reordered events: the line would only be noise.
 */
const EXPECTED_WARNINGS = new Set([
  'Limiting retries for the idempotent producer may invalidate EoS guarantees',
]);

/** Routes kafkajs' log entries into Nest's Logger as (message, fields), without stack traces. */
export const nestLogCreator: logCreator = () => {
  const logger = new Logger('Kafka');

  return ({ namespace, level, log }: LogEntry) => {
    const { message, timestamp: _timestamp, logger: _logger, stack: _stack, ...extra } = log;
    if (EXPECTED_WARNINGS.has(message)) {
      return;
    }
    const fields = { namespace, ...extra };
    switch (level) {
      case logLevel.ERROR:
        logger.error(message, fields);
        break;
      case logLevel.WARN:
        logger.warn(message, fields);
        break;
      case logLevel.INFO:
        logger.log(message, fields);
        break;
      default:
        logger.debug(message, fields);
    }
  };
};
