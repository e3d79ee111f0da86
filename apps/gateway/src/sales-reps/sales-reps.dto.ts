import {
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
} from 'class-validator';

import {
  ChangeSalesRepRequest,
  RegisterSalesRepRequest,
  SalesRepListQuery,
} from '@relate/contracts';

import { PageQueryDto } from '../http/query.dto';

export class RegisterSalesRepDto implements RegisterSalesRepRequest {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  manager?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  regionalOffice?: string | null;

  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;
}

// A name may be left out but not cleared; the other fields take null to clear them.
const present = (_: object, value: unknown) => value !== undefined;

export class ChangeSalesRepDto implements ChangeSalesRepRequest {
  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  manager?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  regionalOffice?: string | null;

  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;
}

export class SalesRepListQueryDto extends PageQueryDto implements SalesRepListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  regionalOffice?: string;
}
