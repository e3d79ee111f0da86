import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';

import { Report, ReportName } from '@relate/contracts';
import { HttpRequest, headerOf } from '@relate/service-kit';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { Incoming, IncomingCall, ReportingForwarding } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { reportFilename, reportToCsv } from './report-csv';
import { ClosingThisMonthQueryDto, ReportQueryDto, SalesCycleQueryDto } from './reports.dto';

/**
 * The reports. The reporting service answers JSON; the gateway writes the CSV export from it,
 * so that the service client stays JSON only.
 */
@Controller('reports')
@UseGuards(ApiKeyGuard)
export class ReportsController {
  constructor(private readonly forward: ReportingForwarding) {}

  @Get('win-rate')
  winRate(@Incoming() call: IncomingCall, @Req() req: HttpRequest, @Query() q: ReportQueryDto) {
    return this.report('win-rate', call, req, q);
  }

  @Get('stage-conversion')
  stageConversion(
    @Incoming() call: IncomingCall,
    @Req() req: HttpRequest,
    @Query() q: ReportQueryDto,
  ) {
    return this.report('stage-conversion', call, req, q);
  }

  @Get('sales-cycle')
  salesCycle(
    @Incoming() call: IncomingCall,
    @Req() req: HttpRequest,
    @Query() q: SalesCycleQueryDto,
  ) {
    return this.report('sales-cycle', call, req, q);
  }

  @Get('revenue')
  revenue(@Incoming() call: IncomingCall, @Req() req: HttpRequest, @Query() q: ReportQueryDto) {
    return this.report('revenue', call, req, q);
  }

  @Get('forecast')
  forecast(@Incoming() call: IncomingCall, @Req() req: HttpRequest, @Query() q: ReportQueryDto) {
    return this.report('forecast', call, req, q);
  }

  @Get('closing-this-month')
  closingThisMonth(
    @Incoming() call: IncomingCall,
    @Req() req: HttpRequest,
    @Query() q: ClosingThisMonthQueryDto,
  ) {
    return this.report('closing-this-month', call, req, q);
  }

  @Get('lead-sources')
  leadSources(@Incoming() call: IncomingCall, @Req() req: HttpRequest, @Query() q: ReportQueryDto) {
    return this.report('lead-sources', call, req, q);
  }

  private async report(
    name: ReportName,
    call: IncomingCall,
    request: HttpRequest,
    query: ReportQueryDto,
  ): Promise<Report<object> | string> {
    const { format, ...forwarded } = query;
    const report = await this.forward.list<Report<object>>(
      call,
      pathOf('reports', name),
      forwarded,
    );
    const csv = format === 'csv' || (format === undefined && acceptsCsv(request));
    if (!csv) return report;
    call.response.setHeader('content-type', 'text/csv; charset=utf-8');
    call.response.setHeader(
      'content-disposition',
      `attachment; filename="${reportFilename(report)}"`,
    );

    return reportToCsv(report);
  }
}

/** CSV when the client names text/csv and prefers nothing else over it. */
function acceptsCsv(request: HttpRequest): boolean {
  const accept = headerOf(request, 'accept') ?? '';

  return /(^|,)\s*text\/csv\s*(;|,|$)/i.test(accept) && !/application\/json/i.test(accept);
}
