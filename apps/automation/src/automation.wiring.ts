import { Logger } from '@nestjs/common';

import { isRelateError } from '@relate/errors';
import { EventStoreErrorCodes, PostgresEventStore } from '@relate/event-store';

import { Mailer } from './mail/mailer';

/**
 * What the reactors need from Nest's container. PlatformModule builds reactors before the
 * container exists, so they get this holder, filled by a provider when the container is built
 * (before any consumer starts).
 */
export class AutomationWiring {
  private eventStore?: PostgresEventStore;

  mailer?: Mailer;

  set store(store: PostgresEventStore) {
    this.eventStore = store;
  }

  get store(): PostgresEventStore {
    if (this.eventStore === undefined) {
      throw new Error('AutomationWiring: the event store is not wired yet');
    }

    return this.eventStore;
  }
}

/** Whether an append failed because the stream already exists or moved on. */
export function isWrongVersion(error: unknown): boolean {
  return isRelateError(error) && error.code === EventStoreErrorCodes.wrongExpectedVersion;
}

export const automationLogger = (context: string) => new Logger(`automation.${context}`);
