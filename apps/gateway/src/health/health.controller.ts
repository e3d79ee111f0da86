import { Controller, Get, HttpStatus, Res } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';

import { BACKEND_SERVICES, BackendService } from '@relate/config';
import { HttpResponse } from '@relate/service-kit';

import { BACKENDS } from '../http/backends';

const HEALTH_TIMEOUT_MS = 2_000;

type ServiceHealth = 'ok' | 'down';

/** Health of the gateway and the services behind it; no API key needed. */
@Controller()
export class HealthController {
  constructor(private readonly modules: ModuleRef) {}

  @Get(['health', 'api/v1/health'])
  async check(@Res({ passthrough: true }) response: HttpResponse): Promise<{
    status: 'ok' | 'degraded';
    services: Record<'gateway' | BackendService, ServiceHealth>;
  }> {
    const states = await Promise.all(
      BACKEND_SERVICES.map(async (service) => {
        const client = this.modules.get(BACKENDS[service].client, { strict: false });
        const state: ServiceHealth = (await client.healthy(HEALTH_TIMEOUT_MS)) ? 'ok' : 'down';

        return [service, state] as const;
      }),
    );
    const healthy = states.every(([, state]) => state === 'ok');
    response.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);
    const services = Object.fromEntries([['gateway', 'ok'], ...states]) as Record<
      'gateway' | BackendService,
      ServiceHealth
    >;

    return { status: healthy ? 'ok' : 'degraded', services };
  }
}
