import { IHeaders, KafkaMessage, Message } from 'kafkajs';

import { EventEnvelope, EventHeaders } from '@relate/contracts';
import { RelateError } from '@relate/errors';

export const MessagingErrorCodes = {
  undecodableEvent: 'MESSAGING.UNDECODABLE_EVENT',
} as const;

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
    typeof envelope.id === 'string' &&
    typeof envelope.type === 'string' &&
    typeof envelope.streamId === 'string' &&
    typeof envelope.tenantId === 'string' &&
    Number.isSafeInteger(envelope.streamVersion) &&
    (envelope.streamVersion ?? 0) >= 1;
  if (!wellFormed) {
    throw undecodable('the value is not an event envelope');
  }

  return envelope as EventEnvelope;
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
