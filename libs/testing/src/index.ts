export * from './test-database';
export * from './drop-database';
export * from './test-stack';
export * from './eventually';
export * from './standalone-servers';
export * from './own-postgres';
