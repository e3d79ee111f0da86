export * from './envelope';
export * from './topics';
export * from './event-catalogue';
export * from './contacts.events';
export * from './pipeline.events';
export * from './http.api';
export * from './contacts.api';
export * from './pipeline.api';
