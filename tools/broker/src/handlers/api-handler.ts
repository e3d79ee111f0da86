import { BrokerLogger, ResolvedBrokerOptions } from '../broker.config';
import { FetchWaiters } from '../fetch/fetch-waiters';
import { GroupCoordinator } from '../groups/group-coordinator';
import { ApiKey } from '../protocol/api-keys';
import { Reader } from '../protocol/reader';
import { RequestHeader } from '../protocol/request-header';
import { Writer } from '../protocol/writer';
import { ProducerIdAllocator } from '../storage/producer-id-allocator';
import { TopicRegistry } from '../storage/topic-registry';

/** The single node every client is pointed at: itself. */
export const NODE_ID = 0;

export interface ApiVersionRange {
  apiKey: ApiKey;
  minVersion: number;
  maxVersion: number;
}

/** What request handlers share: the broker's state and settings. */
export interface BrokerContext {
  options: ResolvedBrokerOptions;
  /** Address put in Metadata and FindCoordinator answers: the bound one. */
  advertised: { host: string; port: number };
  clusterId: string;
  topics: TopicRegistry;
  coordinator: GroupCoordinator;
  waiters: FetchWaiters;
  producerIds: ProducerIdAllocator;
  logger: BrokerLogger;
  supportedApis: readonly ApiVersionRange[];
}

export interface ApiRequest {
  header: RequestHeader;
  version: number;
  body: Reader;
  clientId: string;
  /** Kafka's form, e.g. `/127.0.0.1`. */
  clientHost: string;
}

export interface ApiHandler extends ApiVersionRange {
  /** The response body, or null when the request gets no response (Produce with acks 0). */
  handle(request: ApiRequest, broker: BrokerContext): Promise<Writer | null> | Writer | null;
}

/** Throttling is never applied: every throttle_time_ms field is 0 (pitfall 8). */
export const NO_THROTTLE = 0;
