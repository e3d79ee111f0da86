import { Controller, Get, Inject, Logger, Param, Query } from '@nestjs/common';

import { Report } from '@relate/contracts';
import { Clock } from '@relate/event-store';
import { CLOCK, Consistency, ReadModels, TenantId } from '@relate/service-kit';

import { ReportFactsProjection } from '../facts/report-facts.projection';
import { parseReportQuery, reportNameOf } from './report-query';
import { ReportsService } from './reports.service';

@Controller('reports')
export class ReportsController {
  private readonly logger = new Logger(ReportsController.name);

  constructor(
    private readonly reports: ReportsService,
    private readonly readModels: ReadModels,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get(':name')
  async report(
    @TenantId() tenantId: string,
    @Param('name') rawName: string,
    @Query() rawQuery: Record<string, unknown>,
    @Consistency() token?: string,
  ): Promise<Report<object>> {
    const name = reportNameOf(rawName);
    const query = parseReportQuery(name, rawQuery);
    await this.readModels.waitFor(tenantId, token, [ReportFactsProjection]);

    const started = Date.now();
    const report = await this.reports.build(name, tenantId, query, this.clock.now());
    this.logger.debug('report built', {
      report: name,
      rows: report.rows.length,
      durationMs: Date.now() - started,
    });

    return report;
  }
}
