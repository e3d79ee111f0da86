import { INestApplication } from '@nestjs/common';

import { createNestApp, ServiceSettings } from '@relate/service-kit';

import { AutomationModule } from './automation.module';

export type AutomationConfig = ServiceSettings;

/**
 * The automation service as a Nest application, not yet listening: call
 * `app.listen(port, '127.0.0.1')`, and `app.close()` to stop it.
 */
export async function createAutomationApp(config: AutomationConfig): Promise<INestApplication> {
  return createNestApp(AutomationModule.register(config), config.logLevels);
}
