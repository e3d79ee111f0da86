import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { Pool } from 'pg';

import { PostgresEventStore } from '@relate/event-store';
import { MailSender } from '@relate/mail';
import { PlatformModule } from '@relate/service-kit';

import type { AutomationConfig } from './app';
import { AutomationWiring } from './automation.wiring';
import { RuleEngineReactor } from './engine/rule-engine.reactor';
import { FiringsProjection } from './firings/firings.projection';
import { FiringsRepository } from './firings/firings.repository';
import { RuleEmailsReactor } from './mail/rule-emails.reactor';
import { NotificationsController } from './notifications/notifications.controller';
import { NotificationsProjection } from './notifications/notifications.projection';
import { ReminderScheduler, REMINDER_POLL_MS } from './reminders/reminder-scheduler';
import { ReminderTimersReactor } from './reminders/reminder-timers.reactor';
import { RemindersController } from './reminders/reminders.controller';
import { RulesController } from './rules/rules.controller';
import { RulesProjection } from './rules/rules.projection';
import { RulesRepository } from './rules/rules.repository';
import { RulesService } from './rules/rules.service';
import { EmailTemplatesController } from './templates/email-templates.controller';
import { EmailTemplatesProjection } from './templates/email-templates.projection';
import { WebhookDeliverer, WEBHOOK_SETTINGS } from './webhooks/webhook-deliverer';
import { WebhookDeliveriesReactor } from './webhooks/webhook-deliveries.reactor';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksProjection } from './webhooks/webhooks.projection';

const onPool = <T>(type: new (pool: Pool) => T) => ({
  provide: type,
  inject: [Pool],
  useFactory: (pool: Pool) => new type(pool),
});

/** Closes the SMTP transport when the service stops. */
class MailerLifecycle implements OnApplicationShutdown {
  constructor(@Inject(AutomationWiring) private readonly wiring: AutomationWiring) {}

  // After every destroy hook: reactors and schedulers finish a send of their last batch first.
  async onApplicationShutdown(): Promise<void> {
    await this.wiring.mailer?.close?.();
  }
}

/** The automation service: rules, reminders, emails, notifications and webhooks. */
@Module({})
export class AutomationModule {
  static register(settings: AutomationConfig): DynamicModule {
    // Reactors are built before Nest's container; the wiring gets the store once it exists.
    const wiring = new AutomationWiring();

    return {
      module: AutomationModule,
      imports: [
        PlatformModule.register({
          service: 'automation',
          owns: 'automation',
          errorNamespace: 'AUTOMATION',
          settings,
          projections: (topics) => [
            new RulesProjection([topics.automation]),
            new EmailTemplatesProjection([topics.automation]),
            new FiringsProjection([topics.automation, topics.activities]),
            new NotificationsProjection([topics.automation]),
            new WebhooksProjection([topics.automation]),
          ],
          reactors: (topics) => [
            new RuleEngineReactor([topics.contacts, topics.pipeline, topics.activities], wiring),
            new RuleEmailsReactor([topics.automation], wiring),
            new ReminderTimersReactor([topics.activities, topics.contacts]),
            new WebhookDeliveriesReactor(
              [topics.contacts, topics.pipeline, topics.activities, topics.automation],
              wiring,
            ),
          ],
        }),
      ],
      controllers: [
        RulesController,
        EmailTemplatesController,
        NotificationsController,
        RemindersController,
        WebhooksController,
      ],
      providers: [
        {
          provide: AutomationWiring,
          inject: [PostgresEventStore],
          useFactory: (store: PostgresEventStore) => {
            wiring.store = store;
            wiring.mailer = settings.mail ? new MailSender(settings.mail) : undefined;

            return wiring;
          },
        },
        MailerLifecycle,
        { provide: REMINDER_POLL_MS, useValue: settings.reminderPollMs ?? 1000 },
        ReminderScheduler,
        {
          provide: WEBHOOK_SETTINGS,
          useValue: {
            pollMs: 500,
            timeoutMs: 5000,
            maxAttempts: 6,
            retryBaseMs: 1000,
            ...settings.webhooks,
          },
        },
        WebhookDeliverer,
        RulesService,
        onPool(RulesRepository),
        onPool(FiringsRepository),
      ],
    };
  }
}
