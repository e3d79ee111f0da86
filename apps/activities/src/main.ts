import 'reflect-metadata';

import { parseEnv, ServiceEnv } from '@relate/config';
import { runService, serviceSettingsOf } from '@relate/service-kit';

import { createActivitiesApp } from './app';

runService('activities', async () => {
  const env = parseEnv(ServiceEnv, process.env);
  const app = await createActivitiesApp(serviceSettingsOf(env));

  return { app, host: env.HOST, port: env.PORT };
});
