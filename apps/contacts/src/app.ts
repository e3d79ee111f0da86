import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { ContactsModule } from './contacts.module';
import { ServiceSettings } from './platform/service-settings';

export type ContactsConfig = ServiceSettings;

/**
 * The contacts service as a Nest application, not yet listening: call
 * `app.listen(port, '127.0.0.1')`, and `app.close()` to stop it (projections, relay, pool).
 */
export async function createContactsApp(config: ContactsConfig): Promise<INestApplication> {
  return NestFactory.create(ContactsModule.register(config), {
    logger: config.logLevels ?? ['log', 'error', 'warn', 'fatal'],
    abortOnError: false,
  });
}
