import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
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
  ChangeEmailTemplateRequest,
  ChangeRuleRequest,
  DefineEmailTemplateRequest,
  DefineRuleRequest,
  NotificationListQuery,
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

export class SubscribeWebhookDto implements SubscribeWebhookRequest {
  @IsOptional()
  @IsUUID()
  id?: string;

  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url!: string;

  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  eventTypes!: string[];

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string | null;
}
