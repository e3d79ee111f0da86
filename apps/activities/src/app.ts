import { INestApplication } from '@nestjs/common';

import { createNestApp, ServiceSettings } from '@relate/service-kit';

import { ActivitiesModule } from './activities.module';

export type ActivitiesConfig = ServiceSettings;

/**
 * The activities service as a Nest application, not yet listening: call
 * `app.listen(port, '127.0.0.1')`, and `app.close()` to stop it.
 */
export async function createActivitiesApp(config: ActivitiesConfig): Promise<INestApplication> {
  return createNestApp(ActivitiesModule.register(config), config.logLevels);
}
