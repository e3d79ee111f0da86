import { INestApplication, LogLevel } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';

import { BackendService } from '@relate/config';
import { createNestApp } from '@relate/service-kit';

import { ApiKeys } from './auth/api-keys';
import { GatewayModule } from './gateway.module';

export interface GatewayConfig {
  /** Where each backend service answers. */
  serviceUrls: Record<BackendService, string>;
  /** `key=tenantId[:name],key2=tenant2` (the RELATE_API_KEYS format). */
  apiKeys: string;
  serviceTimeoutMs?: number;
  /** Nest log levels; default all but debug and verbose. */
  logLevels?: LogLevel[];
}

/** The largest JSON body the gateway reads; a larger one answers 413. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The public API prefix; health answers under it and at the root. */
export const API_PREFIX = 'api/v1';

/**
 * The gateway as a Nest application, not yet listening: call `app.listen(port, '127.0.0.1')`.
 */
export async function createGatewayApp(config: GatewayConfig): Promise<INestApplication> {
  const app = await createNestApp<NestExpressApplication>(
    GatewayModule.register({
      serviceUrls: config.serviceUrls,
      apiKeys: ApiKeys.parse(config.apiKeys),
      serviceTimeoutMs: config.serviceTimeoutMs,
    }),
    config.logLevels,
  );
  // The public API need not advertise its framework.
  app.disable('x-powered-by');
  // An explicit bound: the largest legitimate body (a pipeline with its stages) is a few KB.
  app.useBodyParser('json', { limit: MAX_BODY_BYTES });
  app.setGlobalPrefix(API_PREFIX, { exclude: ['health', `${API_PREFIX}/health`] });

  return app;
}
