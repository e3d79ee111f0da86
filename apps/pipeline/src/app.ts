import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { PipelineModule } from './pipeline.module';
import { ServiceSettings } from './platform/service-settings';

export type PipelineConfig = ServiceSettings;

/**
 * The pipeline service as a Nest application, not yet listening: call
 * `app.listen(port, '127.0.0.1')`, and `app.close()` to stop it (projections, relay, pool).
 */
export async function createPipelineApp(config: PipelineConfig): Promise<INestApplication> {
  return NestFactory.create(PipelineModule.register(config), {
    logger: config.logLevels ?? ['log', 'error', 'warn', 'fatal'],
    abortOnError: false,
  });
}
