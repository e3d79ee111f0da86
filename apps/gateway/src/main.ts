import 'reflect-metadata';

import { GatewayEnv, parseEnv } from '@relate/config';
import { runService } from '@relate/service-kit';

import { createGatewayApp } from './app';

runService('gateway', async () => {
  const env = parseEnv(GatewayEnv, process.env);
  const app = await createGatewayApp({
    contactsUrl: env.CONTACTS_URL,
    pipelineUrl: env.PIPELINE_URL,
    apiKeys: env.RELATE_API_KEYS,
  });

  return { app, host: env.HOST, port: env.PORT };
});
