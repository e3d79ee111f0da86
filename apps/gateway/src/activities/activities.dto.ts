import { applyDecorators } from '@nestjs/common';
import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsNotEmpty,
  IsOptional,
  IsString,
  IsTimeZone,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';

import {
  ActivityDirection,
  ActivityKind,
  ActivityListQuery,
  AssignTaskRequest,
  ChangeTaskRequest,
  CompleteTaskRequest,
  CorrectActivityRequest,
  CreateTaskRequest,
  FollowUpsQuery,
  LogActivityRequest,
  RescheduleTaskRequest,
  TaskListQuery,
  TaskPriority,
  TaskStatus,
} from '@relate/contracts';

import { PageQueryDto, ReadQueryDto } from '../http/query.dto';

const present = (_: object, value: unknown) => value !== undefined;
const KINDS: ActivityKind[] = ['call', 'email', 'meeting', 'note'];
const DIRECTIONS: ActivityDirection[] = ['inbound', 'outbound'];
const PRIORITIES: TaskPriority[] = ['low', 'normal', 'high'];
const STATUSES: TaskStatus[] = ['open', 'done'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A rep's id: a sales rep's UUID or an API key's name (the calling rep), e.g. `rep-a`. */
const IsActorId = () =>
  applyDecorators(
    IsString(),
    Matches(/^[A-Za-z0-9._~-]{1,128}$/, {
      message: '$property must be an id of 1-128 letters, digits, dots, dashes or underscores',
    }),
  );

/**
 * A point in time with a zone: `2026-03-10T09:30:00+01:00`, the form the activities service
 * takes. Anchored: the former /T\d{2}:\d{2}.*(Z|...)$/ backtracked quadratically, and a 1 MB
 * `occurredAt` of repeated `T00:00` held the gateway's event loop for about a minute.
 */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
const IsInstant = () =>
  applyDecorators(
    IsISO8601({ strict: true }),
    Matches(INSTANT, {
      message: '$property must be a date-time with a time zone, e.g. 2026-03-10T09:30:00Z',
    }),
  );

/** Business time on one of the list filters: a date (whole UTC day) or a date-time. */
const IsDateOrInstant = () => IsISO8601({ strict: true });

export class LogActivityDto implements LogActivityRequest {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsIn(KINDS)
  kind!: ActivityKind;

  @IsInstant()
  occurredAt!: string;

  @IsOptional()
  @IsIn(DIRECTIONS)
  direction?: ActivityDirection | null;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  outcome?: string | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440)
  durationMinutes?: number | null;

  @IsOptional()
  @IsActorId()
  ownerId?: string | null;

  @IsOptional()
  @IsUUID()
  personId?: string | null;

  @IsOptional()
  @IsUUID()
  companyId?: string | null;

  @IsOptional()
  @IsUUID()
  dealId?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  body?: string | null;
}

export class CorrectActivityDto implements CorrectActivityRequest {
  @ValidateIf(present)
  @IsInstant()
  occurredAt?: string;

  @IsOptional()
  @IsIn(DIRECTIONS)
  direction?: ActivityDirection | null;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  outcome?: string | null;

  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1440)
  durationMinutes?: number | null;

  @IsOptional()
  @IsActorId()
  ownerId?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  subject?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  body?: string | null;
}

export class ActivityListQueryDto extends PageQueryDto implements ActivityListQuery {
  @IsOptional()
  @IsUUID()
  personId?: string;

  @IsOptional()
  @IsUUID()
  companyId?: string;

  @IsOptional()
  @IsUUID()
  dealId?: string;

  @IsOptional()
  @IsActorId()
  ownerId?: string;

  @IsOptional()
  @IsIn(KINDS)
  kind?: ActivityKind;

  @IsOptional()
  @IsDateOrInstant()
  from?: string;

  @IsOptional()
  @IsDateOrInstant()
  to?: string;
}

export class CreateTaskDto implements CreateTaskRequest {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title!: string;

  @IsInstant()
  dueAt!: string;

  @IsOptional()
  @IsActorId()
  assigneeId?: string | null;

  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: TaskPriority;

  @IsOptional()
  @IsUUID()
  personId?: string | null;

  @IsOptional()
  @IsUUID()
  companyId?: string | null;

  @IsOptional()
  @IsUUID()
  dealId?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  notes?: string | null;

  @ValidateIf(present)
  @IsBoolean()
  reminder?: boolean;
}

export class ChangeTaskDto implements ChangeTaskRequest {
  @ValidateIf(present)
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  title?: string;

  @ValidateIf(present)
  @IsIn(PRIORITIES)
  priority?: TaskPriority;

  @IsOptional()
  @IsString()
  @MaxLength(10_000)
  notes?: string | null;

  @ValidateIf(present)
  @IsBoolean()
  reminder?: boolean;
}

export class CompleteTaskDto implements CompleteTaskRequest {
  @IsOptional()
  @IsString()
  @MaxLength(100)
  outcome?: string | null;
}

export class RescheduleTaskDto implements RescheduleTaskRequest {
  @IsInstant()
  dueAt!: string;
}

export class AssignTaskDto implements AssignTaskRequest {
  @IsActorId()
  assigneeId!: string;
}

export class TaskListQueryDto extends PageQueryDto implements TaskListQuery {
  @IsOptional()
  @IsActorId()
  assigneeId?: string;

  @IsOptional()
  @IsIn(STATUSES)
  status?: TaskStatus;

  @IsOptional()
  @IsDateOrInstant()
  dueFrom?: string;

  @IsOptional()
  @IsDateOrInstant()
  dueTo?: string;

  @IsOptional()
  @IsUUID()
  personId?: string;

  @IsOptional()
  @IsUUID()
  companyId?: string;

  @IsOptional()
  @IsUUID()
  dealId?: string;
}

export class FollowUpsQueryDto extends ReadQueryDto implements FollowUpsQuery {
  @IsOptional()
  @IsActorId()
  ownerId?: string;

  @IsOptional()
  @Matches(DATE, { message: '$property must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  date?: string;

  @IsOptional()
  @IsTimeZone({ message: '$property must be an IANA time zone, e.g. Europe/Berlin' })
  timezone?: string;

  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(365)
  staleDays?: number;
}
