export * from './envelope';
export * from './topics';
export * from './event-catalogue';
export * from './contacts.events';
export * from './pipeline.events';
