import { v7 as uuidv7 } from 'uuid';

/** The time source of the store, injected so tests can pin it. */
export interface Clock {
  now(): Date;
}

/** The id source of the store; UUID v7 by default, so ids sort by creation time. */
export interface IdGenerator {
  next(): string;
}

export const systemClock: Clock = { now: () => new Date() };

export const uuidV7Ids: IdGenerator = { next: () => uuidv7() };
