import 'reflect-metadata';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import { MAX_PAGE, MAX_PAGE_LIMIT, PageQuery } from '@relate/contracts';

/** Every read accepts `?consistency=<token>` to wait for a write it made. */
export class ReadQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(512)
  consistency?: string;
}

export class PageQueryDto extends ReadQueryDto implements PageQuery {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE)
  page?: number;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;
}

/** `true`/`false` in a query string as a boolean; anything else stays and fails validation. */
export const QueryBoolean = () =>
  Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value));

/** The query to forward: validated fields only, without the gateway's own `consistency`. */
export function forwardedQuery<T extends ReadQueryDto>(query: T): Omit<T, 'consistency'> {
  const { consistency: _consistency, ...rest } = query;

  return rest;
}
