import { AUTOMATION_ACTOR, CommandContext, NewEvent } from '@relate/contracts';
import { PostgresEventStore } from '@relate/event-store';

import { isWrongVersion } from '../automation.wiring';
import { Mailer } from './mailer';

export type SendOutcome =
  | { sent: true; accepted: boolean; response: string; messageId: string }
  | {
      sent: false;
      reason: 'no-address' | 'no-mail-server' | 'failed' | 'outcome-unknown';
      error: string | null;
    };

/**
 * `sent`: this caller claimed the mail and recorded what the server said. `claimed-elsewhere`:
 * another caller holds the claim. `abandoned`: a claim without outcome was found (its sender died
 * during the send) and closed as outcome-unknown; the mail is not sent again.
 */
export type SendOnceResult = 'sent' | 'claimed-elsewhere' | 'abandoned';

export interface SendOnce {
  store: PostgresEventStore;
  mailer: Mailer | undefined;
  context: CommandContext;
  streamId: string;
  streamType: string;
  claim: NewEvent;
  mail: { to: string | null; subject: string; text: string; messageId: string };
  outcome(result: SendOutcome): NewEvent;
}

export function automationContext(
  tenantId: string,
  correlationId: string,
  causationId: string | null,
): CommandContext {
  return { tenantId, actor: AUTOMATION_ACTOR, correlationId, causationId };
}

/**
 * Sends one mail at most once: the claim is appended to a new stream (expected version
 * no_stream) before the SMTP conversation, the outcome after it at version 2. A second caller
 * (redelivery, restart, a second instance) loses the claim and sends nothing. A crash between
 * the claim and the outcome leaves a claim without outcome: it is never sent again (at most
 * once; the deterministic Message-ID would let a receiver drop a duplicate if we chose resends).
 * The caller that finds such a claim (the redelivery after the crash) closes it as
 * outcome-unknown, so the record does not stay "being sent" for ever.
 */
export async function sendOnce(job: SendOnce): Promise<SendOnceResult> {
  const { store, context, streamId, streamType } = job;
  try {
    await store.append(streamId, streamType, [job.claim], {
      expectedVersion: 'no_stream',
      context,
    });
  } catch (error) {
    if (isWrongVersion(error)) {
      return (await closeAbandonedClaim(job)) ? 'abandoned' : 'claimed-elsewhere';
    }
    throw error;
  }
  const result = await deliver(job);
  await store.append(streamId, streamType, [job.outcome(result)], { expectedVersion: 1, context });

  return 'sent';
}

/** Appends outcome-unknown after a claim that has no outcome; false when it has one. */
async function closeAbandonedClaim(job: SendOnce): Promise<boolean> {
  const { store, context, streamId, streamType } = job;
  const events = await store.readStream(context.tenantId, streamId);
  if (events.length !== 1) {
    return false;
  }
  const unknown = job.outcome({ sent: false, reason: 'outcome-unknown', error: null });
  try {
    await store.append(streamId, streamType, [unknown], { expectedVersion: 1, context });

    return true;
  } catch (error) {
    // The original sender recorded its outcome meanwhile: nothing to close.
    if (isWrongVersion(error)) {
      return false;
    }
    throw error;
  }
}

/**
 * A subject on one line. Task and deal titles may hold line breaks (the API takes them), and the
 * mail sender refuses a subject with one (header injection): the reminder of a task titled
 * "Call\nAcme" would never go out.
 */
export function oneLine(subject: string): string {
  return subject.replace(/[\r\n\0]+/g, ' ');
}

// TODO(#3): a retriable SMTP failure (server down) is recorded as not sent and not retried.
async function deliver(job: SendOnce): Promise<SendOutcome> {
  const { mail, mailer } = job;
  if (mail.to === null) {
    return { sent: false, reason: 'no-address', error: null };
  }
  if (mailer === undefined) {
    return { sent: false, reason: 'no-mail-server', error: null };
  }
  try {
    const result = await mailer.send({
      to: mail.to,
      subject: oneLine(mail.subject),
      text: mail.text,
      messageId: mail.messageId,
    });

    return { sent: true, ...result };
  } catch (error) {
    const code = (error as { code?: string }).code;

    return { sent: false, reason: 'failed', error: code ?? 'send failed' };
  }
}
