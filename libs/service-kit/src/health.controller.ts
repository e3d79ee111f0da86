import { Controller, Get, Inject } from '@nestjs/common';
import { Pool } from 'pg';

import { SERVICE_NAME } from './injection-tokens';

@Controller('health')
export class HealthController {
  constructor(
    private readonly pool: Pool,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /** Healthy when the service answers and its database does. */
  @Get()
  async check(): Promise<{ status: 'ok'; service: string }> {
    await this.pool.query('SELECT 1');

    return { status: 'ok', service: this.service };
  }
}
