import { IsIn, IsISO8601, IsOptional, IsUUID, Matches } from 'class-validator';

import {
  REPORT_GROUPINGS,
  ReportGrouping,
  SALES_CYCLE_OUTCOMES,
  SalesCycleOutcome,
} from '@relate/contracts';

import { ReadQueryDto } from '../http/query.dto';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = '$property must be a date YYYY-MM-DD';

export const REPORT_FORMATS = ['json', 'csv'] as const;

/** The query every report takes; `from` after `to` is refused by the reporting service. */
export class ReportQueryDto extends ReadQueryDto {
  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  from?: string;

  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true }, { message: DATE_MESSAGE })
  to?: string;

  @IsOptional()
  @IsIn(REPORT_GROUPINGS)
  groupBy?: ReportGrouping;

  @IsOptional()
  @IsUUID()
  pipelineId?: string;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code such as USD' })
  currency?: string;

  /** `csv`, or `Accept: text/csv`, answers CSV; JSON otherwise. */
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: (typeof REPORT_FORMATS)[number];
}

export class SalesCycleQueryDto extends ReportQueryDto {
  @IsOptional()
  @IsIn(SALES_CYCLE_OUTCOMES)
  outcome?: SalesCycleOutcome;
}

export class ClosingThisMonthQueryDto extends ReportQueryDto {
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: '$property must be a month YYYY-MM' })
  month?: string;
}
