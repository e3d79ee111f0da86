import { Logger } from '@nestjs/common';
import { PoolClient } from 'pg';

import { EventEnvelope } from '@relate/contracts';
import { Projection } from '@relate/messaging';
import { assertKnownSchema } from '@relate/service-kit';

import { FollowUpTaskRequest } from '../tasks/tasks.service';

/** What the reactor does with a request: create the task (TasksService.createRequested). */
export type FollowUpTaskHandler = (request: FollowUpTaskRequest) => Promise<void>;

/**
 * Creates the follow-up tasks that automation rules ask for (`FollowUpTaskRequested` on the
 * automation topic). A reactor, not a read model: it appends events, so a rebuild never runs it
 * again, and it owns no table. Every other automation event passes untouched: that catalogue
 * grows without this service knowing.
 */
export class FollowUpTaskRequestsReactor implements Projection {
  readonly name = 'follow-up-task-requests';

  /** No read model: nothing for a rebuild to drop. */
  readonly tables: string[] = [];

  private readonly logger = new Logger(FollowUpTaskRequestsReactor.name);
  private handler?: FollowUpTaskHandler;
  private bound: Promise<void>;
  private bind!: () => void;

  constructor(readonly topics: string[]) {
    this.bound = new Promise((resolve) => (this.bind = resolve));
  }

  /** The module binds the handler once Nest built it; events wait for that. */
  handleWith(handler: FollowUpTaskHandler): void {
    this.handler = handler;
    this.bind();
  }

  async migrate(_client: PoolClient): Promise<void> {
    // Nothing to create: the task streams are the reactor's only output.
  }

  async apply(event: EventEnvelope, _client: PoolClient): Promise<void> {
    if (event.type !== 'FollowUpTaskRequested') {
      return;
    }
    assertKnownSchema(event);
    await this.bound;
    this.logger.log('follow-up task requested', { eventId: event.id, tenantId: event.tenantId });
    await this.handler!(event as FollowUpTaskRequest);
  }
}
