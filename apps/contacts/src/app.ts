import { INestApplication } from '@nestjs/common';

import { createNestApp, ServiceSettings } from '@relate/service-kit';

import { ContactsModule } from './contacts.module';

export type ContactsConfig = ServiceSettings;

/**
 * The contacts service as a Nest application, not yet listening: call
 * `app.listen(port, '127.0.0.1')`, and `app.close()` to stop it (projections, relay, pool).
 */
export async function createContactsApp(config: ContactsConfig): Promise<INestApplication> {
  return createNestApp(ContactsModule.register(config), config.logLevels);
}
