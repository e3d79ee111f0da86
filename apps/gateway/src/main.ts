import 'reflect-metadata';
import { Logger } from '@nestjs/common';

import { GatewayEnv, parseEnv } from '@relate/config';
import { installTraceContext } from '@relate/observability';

import { createGatewayApp } from './app';

async function main(): Promise<void> {
  installTraceContext();
  const env = parseEnv(GatewayEnv, process.env);
  const app = await createGatewayApp({
    contactsUrl: env.CONTACTS_URL,
    pipelineUrl: env.PIPELINE_URL,
    apiKeys: env.RELATE_API_KEYS,
  });
  app.enableShutdownHooks();
  await app.listen(env.PORT, env.HOST);
  new Logger('Gateway').log('gateway listening', { host: env.HOST, port: env.PORT });
}

main().catch((error: unknown) => {
  new Logger('Gateway').error('gateway failed', {
    error: error instanceof Error ? error.message : String(error),
  });
  process.exit(1);
});
