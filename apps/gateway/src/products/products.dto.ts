import { IsNotEmpty, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';

import { AddProductRequest } from '@relate/contracts';

import { IsMoney } from '../http/money';

export class AddProductDto implements AddProductRequest {
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
  series?: string | null;

  @IsOptional()
  @IsMoney()
  listPrice?: number | null;
}
