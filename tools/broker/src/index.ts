export type { BrokerLogger, BrokerOptions, FsyncPolicy } from './broker.config';
export { startBroker } from './server/broker-server';
export type { RunningBroker } from './server/broker-server';
