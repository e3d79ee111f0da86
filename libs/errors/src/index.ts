export * from './relate-error';
