import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import {
  ActivitiesEventTypes,
  ChangeEmailTemplateRequest,
  ContactsEventTypes,
  ChangeRuleRequest,
  DefineEmailTemplateRequest,
  DefineRuleRequest,
  NotificationListQuery,
  PipelineEventTypes,
  ReminderListQuery,
  RuleActionRequest,
  RuleCondition,
  RuleListQuery,
  RuleTriggerRequest,
  SubscribeWebhookRequest,
} from '@relate/contracts';

import { PageQueryDto, QueryBoolean } from '../http/query.dto';

export class RuleTriggerDto implements RuleTriggerRequest {
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  eventType!: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  toStageId?: string | null;

  @IsOptional()
  @IsString()
  @MaxLength(100)
  field?: string | null;
}

// Conditions and actions are unions the automation service checks field by field (it answers
// 400 with a violation per field); here only their outer shape.
export class DefineRuleDto implements DefineRuleRequest {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ValidateNested()
  @Type(() => RuleTriggerDto)
  trigger!: RuleTriggerDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  conditions?: RuleCondition[];

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  actions!: RuleActionRequest[];
}

export class ChangeRuleDto implements ChangeRuleRequest {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => RuleTriggerDto)
  trigger?: RuleTriggerDto;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  conditions?: RuleCondition[];

  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsObject({ each: true })
  actions?: RuleActionRequest[];
}

export class RuleListQueryDto extends PageQueryDto implements RuleListQuery {
  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  enabled?: boolean;
}

export class DefineEmailTemplateDto implements DefineEmailTemplateRequest {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  subject!: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  body!: string;
}

export class ChangeEmailTemplateDto implements ChangeEmailTemplateRequest {
  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  subject?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(20000)
  body?: string;
}

export class NotificationListQueryDto extends PageQueryDto implements NotificationListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  userId?: string;

  @IsOptional()
  @QueryBoolean()
  @IsBoolean()
  unread?: boolean;
}

export class ReminderListQueryDto extends PageQueryDto implements ReminderListQuery {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  taskId?: string;
}

/**
 * What a webhook may subscribe to: the contacts, pipeline and activities catalogues, and
 * `RuleFired` (the posts of rules' webhook actions). The automation service checks the same.
 */
const SUBSCRIBABLE_EVENT_TYPES: readonly string[] = [
  ...ContactsEventTypes,
  ...PipelineEventTypes,
  ...ActivitiesEventTypes,
  'RuleFired',
];

export class SubscribeWebhookDto implements SubscribeWebhookRequest {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url!: string;

  @IsArray()
  @ArrayMinSize(1, { message: '$property must list at least one event type' })
  @ArrayMaxSize(50)
  @ArrayUnique({ message: '$property must not list an event type twice' })
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  @IsIn(SUBSCRIBABLE_EVENT_TYPES, {
    each: true,
    message: 'each value in $property must be a known event type',
  })
  eventTypes!: string[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}
