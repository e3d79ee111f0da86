import 'reflect-metadata';
import { Logger } from '@nestjs/common';

import { parseEnv, ServiceEnv } from '@relate/config';
import { installTraceContext } from '@relate/observability';

import { createContactsApp } from './app';

async function main(): Promise<void> {
  installTraceContext();
  const env = parseEnv(ServiceEnv, process.env);
  const app = await createContactsApp({
    databaseUrl: env.DATABASE_URL,
    kafkaBrokers: env.KAFKA_BROKERS,
    kafkaClientId: env.KAFKA_CLIENT_ID,
  });
  app.enableShutdownHooks();
  await app.listen(env.PORT, env.HOST);
  new Logger('Contacts').log('contacts listening', { host: env.HOST, port: env.PORT });
}

main().catch((error: unknown) => {
  new Logger('Contacts').error('contacts failed', {
    error: error instanceof Error ? error.message : String(error),
  });
  process.exit(1);
});
