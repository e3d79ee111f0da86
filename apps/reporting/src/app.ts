import { INestApplication } from '@nestjs/common';

import { createNestApp, ServiceSettings } from '@relate/service-kit';

import { ReportingModule } from './reporting.module';

export type ReportingConfig = ServiceSettings;

/**
 * The reporting service as a Nest application, not yet listening: call
 * `app.listen(port, '127.0.0.1')`, and `app.close()` to stop it.
 */
export async function createReportingApp(config: ReportingConfig): Promise<INestApplication> {
  return createNestApp(ReportingModule.register(config), config.logLevels);
}
