import {
  IsBoolean,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

import {
  AssignOwnerRequest,
  ChangeCompanyRequest,
  CompanyListQuery,
  RegisterCompanyRequest,
} from '@relate/contracts';

import { IsMoney } from '../http/money';
import { PageQueryDto, QueryBoolean } from '../http/query.dto';

const present = (_: object, value: unknown) => value !== undefined;

/** Fields shared by creating and changing a company; null clears an optional field. */
class CompanyProfileDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  sector?: string | null;

  @IsOptional()
  @IsInt()
  @Min(1000)
  @Max(9999)
  yearEstablished?: number | null;

  @IsOptional()
  @IsMoney()
  revenue?: number | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  employees?: number | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  officeLocation?: string | null;

  @IsOptional()
  @IsUUID()
  parentCompanyId?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  leadSource?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(2048)
  website?: string | null;
}

export class RegisterCompanyDto extends CompanyProfileDto implements RegisterCompanyRequest {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsUUID()
  ownerId?: string | null;
}

export class ChangeCompanyDto extends CompanyProfileDto implements ChangeCompanyRequest {
  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @ValidateIf(present)
  @IsUUID()
  ownerId?: string;
}

export class AssignOwnerDto implements AssignOwnerRequest {
  @IsUUID()
  ownerId!: string;
}

export class CompanyListQueryDto extends PageQueryDto implements CompanyListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  includeArchived?: boolean;
}
