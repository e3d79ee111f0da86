import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';

import {
  EmailTemplateView,
  FiringView,
  NotificationView,
  Page,
  ReminderView,
  RuleView,
  WebhookDeliveryView,
  WebhookSubscribedResult,
  WebhookView,
  WriteResult,
} from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { AutomationForwarding, Incoming, IncomingCall } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { PageQueryDto, ReadQueryDto } from '../http/query.dto';
import {
  ChangeEmailTemplateDto,
  ChangeRuleDto,
  DefineEmailTemplateDto,
  DefineRuleDto,
  NotificationListQueryDto,
  ReminderListQueryDto,
  RuleListQueryDto,
  SubscribeWebhookDto,
} from './automation.dto';

@Controller('rules')
@UseGuards(ApiKeyGuard)
export class RulesController {
  constructor(private readonly forward: AutomationForwarding) {}

  @Post()
  define(@Incoming() call: IncomingCall, @Body() body: DefineRuleDto): Promise<WriteResult> {
    return this.forward.create(call, '/rules', body);
  }

  @Get()
  list(@Incoming() call: IncomingCall, @Query() query: RuleListQueryDto): Promise<Page<RuleView>> {
    return this.forward.list(call, '/rules', query);
  }

  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<RuleView> {
    return this.forward.one(call, pathOf('rules', id), query);
  }

  @Patch(':id')
  change(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: ChangeRuleDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'PATCH', pathOf('rules', id), body);
  }

  @Post(':id/disable')
  @HttpCode(200)
  disable(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('rules', id, 'disable'));
  }

  @Post(':id/enable')
  @HttpCode(200)
  enable(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('rules', id, 'enable'));
  }

  // Forwarded as a command route: the service deletes by appending RuleDeleted.
  @Delete(':id')
  delete(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<WriteResult> {
    return this.forward.command(call, 'DELETE', pathOf('rules', id));
  }

  @Get(':id/firings')
  firings(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<FiringView>> {
    return this.forward.list(call, pathOf('rules', id, 'firings'), query);
  }
}

@Controller('email-templates')
@UseGuards(ApiKeyGuard)
export class EmailTemplatesController {
  constructor(private readonly forward: AutomationForwarding) {}

  @Post()
  define(
    @Incoming() call: IncomingCall,
    @Body() body: DefineEmailTemplateDto,
  ): Promise<WriteResult> {
    return this.forward.create(call, '/email-templates', body);
  }

  @Get()
  list(
    @Incoming() call: IncomingCall,
    @Query() query: PageQueryDto,
  ): Promise<Page<EmailTemplateView>> {
    return this.forward.list(call, '/email-templates', query);
  }

  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<EmailTemplateView> {
    return this.forward.one(call, pathOf('email-templates', id), query);
  }

  @Patch(':id')
  change(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: ChangeEmailTemplateDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'PATCH', pathOf('email-templates', id), body);
  }
}

@Controller('notifications')
@UseGuards(ApiKeyGuard)
export class NotificationsController {
  constructor(private readonly forward: AutomationForwarding) {}

  @Get()
  list(
    @Incoming() call: IncomingCall,
    @Query() query: NotificationListQueryDto,
  ): Promise<Page<NotificationView>> {
    return this.forward.list(call, '/notifications', query);
  }

  @Post(':id/read')
  @HttpCode(200)
  read(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('notifications', id, 'read'));
  }
}

@Controller('reminders')
@UseGuards(ApiKeyGuard)
export class RemindersController {
  constructor(private readonly forward: AutomationForwarding) {}

  @Get()
  list(
    @Incoming() call: IncomingCall,
    @Query() query: ReminderListQueryDto,
  ): Promise<Page<ReminderView>> {
    return this.forward.list(call, '/reminders', query);
  }
}

@Controller('webhooks')
@UseGuards(ApiKeyGuard)
export class WebhooksController {
  constructor(private readonly forward: AutomationForwarding) {}

  /** Answers the subscription's secret, once. */
  @Post()
  subscribe(
    @Incoming() call: IncomingCall,
    @Body() body: SubscribeWebhookDto,
  ): Promise<WebhookSubscribedResult> {
    return this.forward.create(call, '/webhooks', body) as Promise<WebhookSubscribedResult>;
  }

  @Get()
  list(@Incoming() call: IncomingCall, @Query() query: PageQueryDto): Promise<Page<WebhookView>> {
    return this.forward.list(call, '/webhooks', query);
  }

  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<WebhookView> {
    return this.forward.one(call, pathOf('webhooks', id), query);
  }

  @Delete(':id')
  unsubscribe(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<WriteResult> {
    return this.forward.command(call, 'DELETE', pathOf('webhooks', id));
  }

  @Get(':id/deliveries')
  deliveries(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: PageQueryDto,
  ): Promise<Page<WebhookDeliveryView>> {
    return this.forward.list(call, pathOf('webhooks', id, 'deliveries'), query);
  }
}
