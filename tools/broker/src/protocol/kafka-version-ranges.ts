import { ApiKey } from './api-keys';

/** An inclusive range of request versions. */
export interface VersionRange {
  min: number;
  max: number;
}

/** What Apache Kafka serves for one API key, in the last 3.x line and in 4.0. */
export interface KafkaApiVersions {
  apiKey: ApiKey;
  name: string;
  kafka39: VersionRange;
  /** Versions a 4.0 broker accepts; KIP-896 removed the oldest ones. */
  kafka40: VersionRange;
  /**
   * Where a 4.0 broker's ApiVersions answer starts when it differs from what it accepts
   * (Produce: KAFKA-18659 keeps 0 in the answer but closes the connection on 0-2).
   */
  kafka40AdvertisedMin?: number;
  /** Apache Kafka's request schema the row was read from (validVersions and its comments). */
  source: string;
}

const SCHEMAS = 'clients/src/main/resources/common/message';

/**
 * Request versions of the APIs this broker serves, as Apache Kafka 3.9 and 4.0 serve them.
 * Every row cites the schema file of apache/kafka it was read from; the 4.0 minimum is the
 * "Versions ... were removed in Apache Kafka 4.0, Version N is the new baseline" comment that
 * KIP-896 added to those files. Our advertised ranges must lie inside
 * [kafka40.min, kafka39.max] so a client that works against us also works against both.
 */
export const KAFKA_API_VERSIONS: readonly KafkaApiVersions[] = [
  {
    apiKey: ApiKey.Produce,
    name: 'Produce',
    kafka39: { min: 0, max: 11 },
    // "Versions 0-2 were removed in Apache Kafka 4.0, version 3 is the new baseline. Due to a
    // bug in librdkafka, these versions have to be included in the api versions response
    // (see KAFKA-18659), but are rejected otherwise." Version 12 came with KIP-890 part 2.
    kafka40: { min: 3, max: 12 },
    kafka40AdvertisedMin: 0,
    source: `${SCHEMAS}/ProduceRequest.json`,
  },
  {
    apiKey: ApiKey.Fetch,
    name: 'Fetch',
    kafka39: { min: 0, max: 17 },
    // "Versions 0-3 were removed in Apache Kafka 4.0, Version 4 is the new baseline."
    kafka40: { min: 4, max: 17 },
    source: `${SCHEMAS}/FetchRequest.json`,
  },
  {
    apiKey: ApiKey.ListOffsets,
    name: 'ListOffsets',
    kafka39: { min: 0, max: 9 },
    // "Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline."
    kafka40: { min: 1, max: 10 },
    source: `${SCHEMAS}/ListOffsetsRequest.json`,
  },
  {
    apiKey: ApiKey.Metadata,
    name: 'Metadata',
    kafka39: { min: 0, max: 12 },
    // No removal: librdkafka and others still start at low Metadata versions.
    kafka40: { min: 0, max: 13 },
    source: `${SCHEMAS}/MetadataRequest.json`,
  },
  {
    apiKey: ApiKey.OffsetCommit,
    name: 'OffsetCommit',
    kafka39: { min: 0, max: 9 },
    // "Versions 0-1 were removed in Apache Kafka 4.0, Version 2 is the new baseline."
    kafka40: { min: 2, max: 9 },
    source: `${SCHEMAS}/OffsetCommitRequest.json`,
  },
  {
    apiKey: ApiKey.OffsetFetch,
    name: 'OffsetFetch',
    kafka39: { min: 0, max: 9 },
    // "Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline."
    kafka40: { min: 1, max: 9 },
    source: `${SCHEMAS}/OffsetFetchRequest.json`,
  },
  {
    apiKey: ApiKey.FindCoordinator,
    name: 'FindCoordinator',
    kafka39: { min: 0, max: 5 },
    kafka40: { min: 0, max: 6 },
    source: `${SCHEMAS}/FindCoordinatorRequest.json`,
  },
  {
    apiKey: ApiKey.JoinGroup,
    name: 'JoinGroup',
    kafka39: { min: 0, max: 9 },
    // KIP-896 lists JoinGroup 0-1 for removal in 4.0; later 4.x schemas list 0-9 again. The
    // stricter floor is kept here, so a range inside it is served by every 4.x release.
    kafka40: { min: 2, max: 9 },
    source: `${SCHEMAS}/JoinGroupRequest.json`,
  },
  {
    apiKey: ApiKey.Heartbeat,
    name: 'Heartbeat',
    kafka39: { min: 0, max: 4 },
    kafka40: { min: 0, max: 4 },
    source: `${SCHEMAS}/HeartbeatRequest.json`,
  },
  {
    apiKey: ApiKey.LeaveGroup,
    name: 'LeaveGroup',
    kafka39: { min: 0, max: 5 },
    kafka40: { min: 0, max: 5 },
    source: `${SCHEMAS}/LeaveGroupRequest.json`,
  },
  {
    apiKey: ApiKey.SyncGroup,
    name: 'SyncGroup',
    kafka39: { min: 0, max: 5 },
    kafka40: { min: 0, max: 5 },
    source: `${SCHEMAS}/SyncGroupRequest.json`,
  },
  {
    apiKey: ApiKey.DescribeGroups,
    name: 'DescribeGroups',
    kafka39: { min: 0, max: 5 },
    kafka40: { min: 0, max: 6 },
    source: `${SCHEMAS}/DescribeGroupsRequest.json`,
  },
  {
    apiKey: ApiKey.ListGroups,
    name: 'ListGroups',
    kafka39: { min: 0, max: 5 },
    kafka40: { min: 0, max: 5 },
    source: `${SCHEMAS}/ListGroupsRequest.json`,
  },
  {
    apiKey: ApiKey.ApiVersions,
    name: 'ApiVersions',
    kafka39: { min: 0, max: 3 },
    kafka40: { min: 0, max: 4 },
    source: `${SCHEMAS}/ApiVersionsRequest.json`,
  },
  {
    apiKey: ApiKey.CreateTopics,
    name: 'CreateTopics',
    kafka39: { min: 0, max: 7 },
    // "Versions 0-1 were removed in Apache Kafka 4.0, Version 2 is the new baseline."
    kafka40: { min: 2, max: 7 },
    source: `${SCHEMAS}/CreateTopicsRequest.json`,
  },
  {
    apiKey: ApiKey.DeleteTopics,
    name: 'DeleteTopics',
    kafka39: { min: 0, max: 6 },
    // "Version 0 was removed in Apache Kafka 4.0, Version 1 is the new baseline."
    kafka40: { min: 1, max: 6 },
    source: `${SCHEMAS}/DeleteTopicsRequest.json`,
  },
  {
    apiKey: ApiKey.InitProducerId,
    name: 'InitProducerId',
    kafka39: { min: 0, max: 5 },
    kafka40: { min: 0, max: 5 },
    source: `${SCHEMAS}/InitProducerIdRequest.json`,
  },
  {
    apiKey: ApiKey.DeleteGroups,
    name: 'DeleteGroups',
    kafka39: { min: 0, max: 2 },
    kafka40: { min: 0, max: 2 },
    source: `${SCHEMAS}/DeleteGroupsRequest.json`,
  },
];

/** The row of an API key, or undefined for one Kafka 3.9/4.0 do not both serve. */
export function kafkaApiVersions(apiKey: number): KafkaApiVersions | undefined {
  return KAFKA_API_VERSIONS.find((row) => row.apiKey === apiKey);
}

/** True when both Kafka 3.9 and 4.0 accept this version of the API. */
export function servedByKafka39And40(apiKey: number, version: number): boolean {
  const row = kafkaApiVersions(apiKey);

  return (
    row !== undefined &&
    version >= Math.max(row.kafka39.min, row.kafka40.min) &&
    version <= Math.min(row.kafka39.max, row.kafka40.max)
  );
}
