import { Controller, Get, Header } from '@nestjs/common';

import { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from '@relate/observability';

/** The service's metrics in Prometheus' text format, on its own port (not via the gateway). */
@Controller('ops/metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  collect(): Promise<string> {
    return this.metrics.collect();
  }
}
