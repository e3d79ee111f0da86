import 'reflect-metadata';

import { parseEnv, ServiceEnv } from '@relate/config';
import { runService, serviceSettingsOf } from '@relate/service-kit';

import { createContactsApp } from './app';

runService('contacts', async () => {
  const env = parseEnv(ServiceEnv, process.env);
  const app = await createContactsApp(serviceSettingsOf(env));

  return { app, host: env.HOST, port: env.PORT };
});
