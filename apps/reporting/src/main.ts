import 'reflect-metadata';

import { parseEnv, ServiceEnv } from '@relate/config';
import { runService, serviceSettingsOf } from '@relate/service-kit';

import { createReportingApp } from './app';

runService('reporting', async () => {
  const env = parseEnv(ServiceEnv, process.env);
  const app = await createReportingApp(serviceSettingsOf(env));

  return { app, host: env.HOST, port: env.PORT };
});
