import {
  AutomationStreams,
  emailStreamId,
  EventEnvelope,
  isAutomationEnvelope,
  NewEvent,
} from '@relate/contracts';
import { Projection } from '@relate/messaging';
import { PoolClient } from 'pg';

import { automationLogger, AutomationWiring } from '../automation.wiring';
import { automationContext, sendOnce, SendOutcome } from './send-once';

/** Sends the emails rule firings queued, each once (see {@link sendOnce}). */
export class RuleEmailsReactor implements Projection {
  readonly name = 'automation-rule-emails';

  private readonly logger = automationLogger(RuleEmailsReactor.name);

  constructor(
    readonly topics: string[],
    private readonly wiring: AutomationWiring,
  ) {}

  async migrate(): Promise<void> {
    // Keeps no tables: the email streams are its state.
  }

  async apply(event: EventEnvelope, _client: PoolClient): Promise<void> {
    if (!isAutomationEnvelope(event) || event.type !== 'EmailQueued') {
      return;
    }
    const { emailId, personal } = event.data;
    const messageId = `email-${emailId}`;
    const outcome = (result: SendOutcome): NewEvent =>
      result.sent
        ? { type: 'EmailSent', schemaVersion: 1, data: { emailId, ...result } }
        : {
            type: 'EmailNotSent',
            schemaVersion: 1,
            data: { emailId, reason: result.reason, error: result.error },
          };
    const sent = await sendOnce({
      store: this.wiring.store,
      mailer: this.wiring.mailer,
      context: automationContext(event.tenantId, event.correlationId, event.id),
      streamId: emailStreamId(event.tenantId, emailId),
      streamType: AutomationStreams.email.type,
      claim: { type: 'EmailSendClaimed', schemaVersion: 1, data: { emailId, messageId } },
      mail: { ...personal, messageId },
      outcome,
    });
    if (sent === 'abandoned') {
      this.logger.warn('rule email claim had no outcome; not resent', { emailId });
    } else {
      this.logger.log(sent === 'sent' ? 'rule email handled' : 'rule email already claimed', {
        emailId,
      });
    }
  }
}
