export * from './clock';
export * from './consistency-token';
export * from './event-store.errors';
export * from './event-store.schema';
export * from './event-store.types';
export * from './postgres-event-store';
export * from './outbox-relay';
