import 'reflect-metadata';

import { parseEnv, ServiceEnv } from '@relate/config';
import { runService, serviceSettingsOf } from '@relate/service-kit';

import { createAutomationApp } from './app';

runService('automation', async () => {
  const env = parseEnv(ServiceEnv, process.env);
  const app = await createAutomationApp(serviceSettingsOf(env));

  return { app, host: env.HOST, port: env.PORT };
});
