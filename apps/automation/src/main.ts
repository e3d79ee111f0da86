import 'reflect-metadata';

import { AutomationEnv, mailSettingsOf, parseEnv } from '@relate/config';
import { runService, serviceSettingsOf } from '@relate/service-kit';

import { createAutomationApp } from './app';

runService('automation', async () => {
  const env = parseEnv(AutomationEnv, process.env);
  const app = await createAutomationApp({ ...serviceSettingsOf(env), mail: mailSettingsOf(env) });

  return { app, host: env.HOST, port: env.PORT };
});
