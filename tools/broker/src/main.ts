import { Logger } from '@nestjs/common';

import { installStructuredLogging } from '@relate/observability';

import { brokerOptionsFromEnv } from './broker.config';
import { startBroker } from './server/broker-server';

installStructuredLogging();
const logger = new Logger('Broker');

async function main(): Promise<void> {
  const broker = await startBroker({ ...brokerOptionsFromEnv(process.env), logger });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) {
      logger.warn('second signal, exiting without a clean stop', { signal });
      process.exit(1);
    }
    stopping = true;
    logger.log('stopping', { signal });
    broker.close().then(
      () => process.exit(0),
      (error: Error) => {
        logger.error('stop failed', { error: error.message });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
  logger.error('broker failed to start', { error: error.message });
  process.exit(1);
});
