import { Type } from '@nestjs/common';

import {
  EmailTemplatesController,
  NotificationsController,
  RemindersController,
  RulesController,
  WebhooksController,
} from './automation.controller';

/** The public routes served by the automation service. */
export const AUTOMATION_CONTROLLERS: Type[] = [
  RulesController,
  EmailTemplatesController,
  NotificationsController,
  RemindersController,
  WebhooksController,
];
