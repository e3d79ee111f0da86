import { ApiKey } from './api-keys';
import { Reader } from './reader';

export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
}

/** First version of each API whose request uses header v2 (tagged fields after client_id). */
const FIRST_FLEXIBLE_VERSION: Partial<Record<number, number>> = {
  [ApiKey.Produce]: 9,
  [ApiKey.Fetch]: 12,
  [ApiKey.ListOffsets]: 6,
  [ApiKey.Metadata]: 9,
  [ApiKey.OffsetCommit]: 8,
  [ApiKey.OffsetFetch]: 6,
  [ApiKey.FindCoordinator]: 3,
  [ApiKey.JoinGroup]: 6,
  [ApiKey.Heartbeat]: 4,
  [ApiKey.LeaveGroup]: 4,
  [ApiKey.SyncGroup]: 4,
  [ApiKey.DescribeGroups]: 5,
  [ApiKey.ListGroups]: 3,
  [ApiKey.ApiVersions]: 3,
  [ApiKey.CreateTopics]: 5,
  [ApiKey.DeleteTopics]: 4,
  [ApiKey.InitProducerId]: 2,
  [ApiKey.DeleteGroups]: 2,
};

export function isFlexibleRequest(apiKey: number, apiVersion: number): boolean {
  const first = FIRST_FLEXIBLE_VERSION[apiKey];

  return first !== undefined && apiVersion >= first;
}

/**
 * Reads the request header and leaves the reader at the body. client_id stays a classic
 * int16-length string even in header v2; only the tag block is added.
 */
export function readRequestHeader(reader: Reader): RequestHeader {
  const header: RequestHeader = {
    apiKey: reader.int16(),
    apiVersion: reader.int16(),
    correlationId: reader.int32(),
    clientId: reader.nullableString(),
  };
  if (isFlexibleRequest(header.apiKey, header.apiVersion)) {
    reader.skipTaggedFields();
  }

  return header;
}
