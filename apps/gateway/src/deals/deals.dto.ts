import {
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';

import {
  ChangeDealRequest,
  DealListQuery,
  DealStatusFilter,
  MarkDealLostRequest,
  MarkDealWonRequest,
  MoveDealRequest,
  OpenDealRequest,
} from '@relate/contracts';

import { IsMoney } from '../http/money';
import { PageQueryDto } from '../http/query.dto';

const present = (_: object, value: unknown) => value !== undefined;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_MESSAGE = '$property must be a date YYYY-MM-DD';

export class OpenDealDto implements OpenDealRequest {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @IsOptional()
  @IsUUID()
  pipelineId?: string;

  @IsOptional()
  @IsUUID()
  stageId?: string;

  @IsOptional()
  @IsUUID()
  companyId?: string | null;

  @IsOptional()
  @IsUUID()
  personId?: string | null;

  @IsOptional()
  @IsUUID()
  ownerId?: string | null;

  @IsOptional()
  @IsUUID()
  productId?: string | null;

  @IsOptional()
  @IsMoney()
  value?: number | null;

  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: '$property must be an ISO 4217 code such as USD' })
  currency?: string;

  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true })
  expectedCloseDate?: string | null;

  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;
}

export class MoveDealDto implements MoveDealRequest {
  @IsUUID()
  stageId!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;
}

export class ChangeDealDto implements ChangeDealRequest {
  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @IsOptional()
  @IsMoney()
  value?: number | null;

  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true })
  expectedCloseDate?: string | null;

  @IsOptional()
  @IsUUID()
  productId?: string | null;
}

export class MarkDealWonDto implements MarkDealWonRequest {
  @IsOptional()
  @IsMoney()
  value?: number | null;

  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;
}

export class MarkDealLostDto implements MarkDealLostRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;

  @IsOptional()
  @IsISO8601({ strict: true })
  occurredAt?: string;
}

const STATUSES: DealStatusFilter[] = ['open', 'won', 'lost'];

export class DealListQueryDto extends PageQueryDto implements DealListQuery {
  @IsOptional()
  @IsUUID()
  pipelineId?: string;

  @IsOptional()
  @IsUUID()
  stageId?: string;

  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @IsOptional()
  @IsUUID()
  companyId?: string;

  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true })
  closeFrom?: string;

  @IsOptional()
  @Matches(DATE, { message: DATE_MESSAGE })
  @IsISO8601({ strict: true })
  closeTo?: string;

  @IsOptional()
  @IsIn(STATUSES)
  status?: DealStatusFilter;
}
