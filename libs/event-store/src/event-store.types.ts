import { CommandContext, EventEnvelope } from '@relate/contracts';

/**
 * What the caller believes about the stream: its current version (0 = no events yet),
 * 'no_stream' (same as 0), or 'any' (no check; still appends in order).
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

export interface AppendOptions {
  expectedVersion: ExpectedVersion;
  context: CommandContext;
}

export interface AppendResult {
  /** The stream's version after the append: the last appended event's streamVersion. */
  streamVersion: number;
  /** Global position of the last appended event, as a decimal string (bigint). */
  position: string;
  consistencyToken: string;
}

/** An envelope as read from the store, with its global position (a decimal string). */
export type StoredEvent = EventEnvelope & { position: string };
