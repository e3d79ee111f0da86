export type { BrokerLogger, BrokerOptions, FsyncPolicy } from './broker.config';
export { startBroker } from './server/broker-server';
export type { RunningBroker } from './server/broker-server';
export type { ServedVersion } from './server/served-versions';
export { KAFKA_API_VERSIONS, servedByKafka39And40 } from './protocol/kafka-version-ranges';
