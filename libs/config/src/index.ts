export * from './api-keys.config';
export * from './env.config';
export * from './service.config';
export * from './backend-services';
export * from './mail.config';
