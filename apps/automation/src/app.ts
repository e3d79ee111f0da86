import { INestApplication } from '@nestjs/common';

import { createNestApp, ServiceSettings } from '@relate/service-kit';

import { AutomationModule } from './automation.module';
import type { WebhookSettings } from './webhooks/webhook-deliverer';

/** The automation service's settings: a service's, plus where mail goes. */
export interface AutomationConfig extends ServiceSettings {
  /** SMTP server and sender; without it mail is recorded as not sent (`no-mail-server`). */
  mail?: { smtpUrl: string; from: string };
  /** How often due reminders are looked for; default 1000 ms. */
  reminderPollMs?: number;
  /** Webhook delivery: poll, timeout, attempts and backoff (see WebhookSettings). */
  webhooks?: Partial<WebhookSettings>;
}

/**
 * The automation service as a Nest application, not yet listening: call
 * `app.listen(port, '127.0.0.1')`, and `app.close()` to stop it.
 */
export async function createAutomationApp(config: AutomationConfig): Promise<INestApplication> {
  return createNestApp(AutomationModule.register(config), config.logLevels);
}
