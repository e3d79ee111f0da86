import {
  IsBoolean,
  IsEmail,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateIf,
} from 'class-validator';

import {
  ChangePersonRequest,
  LinkPersonToCompanyRequest,
  PersonListQuery,
  RecordLeadSourceRequest,
  RegisterPersonRequest,
} from '@relate/contracts';

import { PageQueryDto, QueryBoolean } from '../http/query.dto';

const present = (_: object, value: unknown) => value !== undefined;

class PersonContactDto {
  @IsOptional()
  @IsEmail()
  @MaxLength(320)
  email?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(50)
  phone?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  title?: string | null;

  @IsOptional()
  @IsUUID()
  companyId?: string | null;
}

export class RegisterPersonDto extends PersonContactDto implements RegisterPersonRequest {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  firstName!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lastName!: string;

  @IsOptional()
  @IsUUID()
  ownerId?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  leadSource?: string | null;
}

export class ChangePersonDto extends PersonContactDto implements ChangePersonRequest {
  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  firstName?: string;

  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  lastName?: string;

  @ValidateIf(present)
  @IsUUID()
  ownerId?: string;

  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  leadSource?: string;
}

export class LinkPersonToCompanyDto implements LinkPersonToCompanyRequest {
  /** Required, and null unlinks: an absent field would be ambiguous. */
  @ValidateIf((_, value) => value !== null)
  @IsUUID()
  companyId!: string | null;
}

export class RecordLeadSourceDto implements RecordLeadSourceRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  leadSource!: string;
}

export class PersonListQueryDto extends PageQueryDto implements PersonListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;

  @IsOptional()
  @IsUUID()
  ownerId?: string;

  @IsOptional()
  @IsUUID()
  companyId?: string;

  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  includeArchived?: boolean;
}
