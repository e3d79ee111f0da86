import { INestApplication } from '@nestjs/common';

import { createNestApp, ServiceSettings } from '@relate/service-kit';

import { PipelineModule } from './pipeline.module';

export type PipelineConfig = ServiceSettings;

/**
 * The pipeline service as a Nest application, not yet listening: call
 * `app.listen(port, '127.0.0.1')`, and `app.close()` to stop it (projections, relay, pool).
 */
export async function createPipelineApp(config: PipelineConfig): Promise<INestApplication> {
  return createNestApp(PipelineModule.register(config), config.logLevels);
}
