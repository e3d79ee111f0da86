import 'reflect-metadata';

import { parseEnv, ServiceEnv } from '@relate/config';
import { runService, serviceSettingsOf } from '@relate/service-kit';

import { createPipelineApp } from './app';

runService('pipeline', async () => {
  const env = parseEnv(ServiceEnv, process.env);
  const app = await createPipelineApp(serviceSettingsOf(env));

  return { app, host: env.HOST, port: env.PORT };
});
