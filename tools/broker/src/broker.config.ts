import { LoggerService } from '@nestjs/common';

export type BrokerLogger = Pick<LoggerService, 'log' | 'warn' | 'error' | 'debug'>;

/** When a produce acknowledgement waits for the disk. */
export type FsyncPolicy =
  /** fdatasync every flush batch before acknowledging it (group commit). Survives power loss. */
  | 'always'
  /** Acknowledge once written to the OS page cache. Survives a broker crash, not the machine's. */
  | 'never';

export interface BrokerOptions {
  /** Loopback address to listen on and advertise; 127.0.0.1 by default. */
  host?: string;
  /** 0 picks a free port. */
  port: number;
  dataDir: string;
  /** Partitions of auto-created topics and of CreateTopics with -1. */
  defaultPartitions?: number;
  logger?: BrokerLogger;
  fsync?: FsyncPolicy;
  autoCreateTopics?: boolean;
  /** Largest record batch accepted (Kafka's message.max.bytes). */
  maxMessageBytes?: number;
  /** Largest Fetch answer, whatever the client asks for (Kafka's fetch.max.bytes). */
  fetchMaxBytes?: number;
  /** Largest request frame accepted (Kafka's socket.request.max.bytes). */
  maxRequestBytes?: number;
  /** Size at which a partition starts a new segment file. */
  segmentBytes?: number;
  /** Wait before the first generation of an empty group (group.initial.rebalance.delay.ms). */
  groupInitialRebalanceDelayMs?: number;
  groupMinSessionTimeoutMs?: number;
  groupMaxSessionTimeoutMs?: number;
}

export type ResolvedBrokerOptions = Required<BrokerOptions>;

export const DEFAULT_BROKER_PORT = 9092;
export const DEFAULT_BROKER_DATA_DIR = '.data/broker';

export function resolveBrokerOptions(
  options: BrokerOptions,
  logger: BrokerLogger,
): ResolvedBrokerOptions {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) {
    throw new Error(`the development broker listens on loopback only, not on ${host}`);
  }

  return {
    host,
    port: options.port,
    dataDir: options.dataDir,
    defaultPartitions: options.defaultPartitions ?? 3,
    logger,
    fsync: options.fsync ?? 'always',
    autoCreateTopics: options.autoCreateTopics ?? true,
    maxMessageBytes: options.maxMessageBytes ?? 1_048_588,
    fetchMaxBytes: options.fetchMaxBytes ?? 55 * 1024 * 1024,
    maxRequestBytes: options.maxRequestBytes ?? 100 * 1024 * 1024,
    segmentBytes: options.segmentBytes ?? 64 * 1024 * 1024,
    groupInitialRebalanceDelayMs: options.groupInitialRebalanceDelayMs ?? 100,
    groupMinSessionTimeoutMs: options.groupMinSessionTimeoutMs ?? 6_000,
    groupMaxSessionTimeoutMs: options.groupMaxSessionTimeoutMs ?? 1_800_000,
  };
}

function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Options of `npm run broker`, from its environment. */
export function brokerOptionsFromEnv(env: NodeJS.ProcessEnv): BrokerOptions {
  const fsync = env.BROKER_FSYNC;
  if (fsync !== undefined && fsync !== 'always' && fsync !== 'never') {
    throw new Error(`BROKER_FSYNC must be "always" or "never", not "${fsync}"`);
  }

  return {
    port: parseInteger('BROKER_PORT', env.BROKER_PORT, DEFAULT_BROKER_PORT),
    dataDir: env.BROKER_DATA_DIR || DEFAULT_BROKER_DATA_DIR,
    defaultPartitions: parseInteger('BROKER_DEFAULT_PARTITIONS', env.BROKER_DEFAULT_PARTITIONS, 3),
    fsync,
  };
}

function parseInteger(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') {
    return fallback;
  }
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a non-negative integer, not "${raw}"`);
  }

  return value;
}
