export * from './relate-error';
export * from './service-errors';
