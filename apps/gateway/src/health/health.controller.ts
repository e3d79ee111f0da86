import { Controller, Get, HttpStatus, Res } from '@nestjs/common';

import { HttpResponse } from '@relate/service-kit';

import { ContactsClient, PipelineClient } from '../http/service.client';

const HEALTH_TIMEOUT_MS = 2_000;

type ServiceHealth = 'ok' | 'down';

/** Health of the gateway and the services behind it; no API key needed. */
@Controller()
export class HealthController {
  constructor(
    private readonly contacts: ContactsClient,
    private readonly pipeline: PipelineClient,
  ) {}

  @Get(['health', 'api/v1/health'])
  async check(@Res({ passthrough: true }) response: HttpResponse): Promise<{
    status: 'ok' | 'degraded';
    services: Record<string, ServiceHealth>;
  }> {
    const [contacts, pipeline] = await Promise.all(
      [this.contacts, this.pipeline].map(async (client) =>
        (await client.healthy(HEALTH_TIMEOUT_MS)) ? 'ok' : 'down',
      ),
    );
    const healthy = contacts === 'ok' && pipeline === 'ok';
    response.status(healthy ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE);

    return { status: healthy ? 'ok' : 'degraded', services: { gateway: 'ok', contacts, pipeline } };
  }
}
