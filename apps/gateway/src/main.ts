import 'reflect-metadata';

import { GatewayEnv, parseEnv } from '@relate/config';
import { runService } from '@relate/service-kit';

import { createGatewayApp } from './app';

runService('gateway', async () => {
  const env = parseEnv(GatewayEnv, process.env);
  const app = await createGatewayApp({
    serviceUrls: {
      contacts: env.CONTACTS_URL,
      pipeline: env.PIPELINE_URL,
      activities: env.ACTIVITIES_URL,
      automation: env.AUTOMATION_URL,
      reporting: env.REPORTING_URL,
    },
    apiKeys: env.RELATE_API_KEYS,
  });

  return { app, host: env.HOST, port: env.PORT };
});
