export * from './dead-letter';
export * from './event-message';
export * from './event-publisher';
export * from './failure-policy';
export * from './kafka-client';
export * from './projection';
export * from './projection-runner';
export * from './topic-reader';
