export * from './mail.errors';
export * from './mail.sender';
export * from './mail.catcher';
