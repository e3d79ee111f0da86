import { IHeaders, KafkaMessage, Message } from 'kafkajs';

import { EventEnvelope, EventHeaders } from '@relate/contracts';
import { RelateError } from '@relate/errors';

export const MessagingErrorCodes = {
  undecodableEvent: 'MESSAGING.UNDECODABLE_EVENT',
} as const;

/** Longest id, type, stream id or tenant id accepted: PostgreSQL must still index them. */
const MAX_IDENTITY_BYTES = 1000;

/** An event as it travels on a topic: keyed by stream id, the envelope as JSON. */
export function toKafkaMessage(event: EventEnvelope): Message {
  const headers: IHeaders = {
    [EventHeaders.type]: event.type,
    [EventHeaders.tenant]: event.tenantId,
  };
  if (event.traceparent) {
    headers[EventHeaders.traceparent] = event.traceparent;
  }

  return { key: event.streamId, value: JSON.stringify(event), headers };
}

/** Reads the envelope back; a message that is not one is a permanent failure. */
export function decodeEventMessage(message: Pick<KafkaMessage, 'value'>): EventEnvelope {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message.value?.toString('utf8') ?? '');
  } catch (error) {
    throw undecodable('the value is not JSON', error);
  }
  const envelope = parsed as Partial<EventEnvelope> | null;
  const wellFormed =
    typeof envelope === 'object' &&
    envelope !== null &&
    isIdentity(envelope.id) &&
    isIdentity(envelope.type) &&
    isIdentity(envelope.streamId) &&
    isIdentity(envelope.tenantId) &&
    Number.isSafeInteger(envelope.streamVersion) &&
    (envelope.streamVersion ?? 0) >= 1;
  if (!wellFormed) {
    throw undecodable('the value is not an event envelope');
  }

  return envelope as EventEnvelope;
}

/**
 * Text PostgreSQL can store as a key: no NUL character (text columns refuse it) and short enough
 * for a btree index. Otherwise recording the stream's progress, or parking the event, would fail
 * for ever and hold up every event behind it.
 */
function isIdentity(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    !value.includes('\u0000') &&
    Buffer.byteLength(value) <= MAX_IDENTITY_BYTES
  );
}

/** A header's first value as text. */
export function headerText(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;

  return first === undefined ? undefined : first.toString();
}

function undecodable(reason: string, cause?: unknown): RelateError {
  return new RelateError(
    MessagingErrorCodes.undecodableEvent,
    'validation',
    `Undecodable event: ${reason}`,
    { cause },
  );
}
