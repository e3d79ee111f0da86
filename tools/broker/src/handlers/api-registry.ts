import { ApiHandler, ApiVersionRange } from './api-handler';
import { apiVersionsHandler } from './api-versions.handler';
import { createTopicsHandler } from './create-topics.handler';
import { deleteGroupsHandler } from './delete-groups.handler';
import { deleteTopicsHandler } from './delete-topics.handler';
import { describeGroupsHandler } from './describe-groups.handler';
import { fetchHandler } from './fetch.handler';
import { findCoordinatorHandler } from './find-coordinator.handler';
import { heartbeatHandler } from './heartbeat.handler';
import { initProducerIdHandler } from './init-producer-id.handler';
import { joinGroupHandler } from './join-group.handler';
import { leaveGroupHandler } from './leave-group.handler';
import { listGroupsHandler } from './list-groups.handler';
import { listOffsetsHandler } from './list-offsets.handler';
import { metadataHandler } from './metadata.handler';
import { offsetCommitHandler } from './offset-commit.handler';
import { offsetFetchHandler } from './offset-fetch.handler';
import { produceHandler } from './produce.handler';
import { syncGroupHandler } from './sync-group.handler';

/**
 * Every API the broker implements. ApiVersions advertises exactly these ranges, and each range
 * is implemented in full: kafkajs trusts the maximum blindly, librdkafka probes the minimum.
 */
export const API_HANDLERS: readonly ApiHandler[] = [
  produceHandler,
  fetchHandler,
  listOffsetsHandler,
  metadataHandler,
  offsetCommitHandler,
  offsetFetchHandler,
  findCoordinatorHandler,
  joinGroupHandler,
  heartbeatHandler,
  leaveGroupHandler,
  syncGroupHandler,
  describeGroupsHandler,
  listGroupsHandler,
  apiVersionsHandler,
  createTopicsHandler,
  deleteTopicsHandler,
  initProducerIdHandler,
  deleteGroupsHandler,
];

export const SUPPORTED_APIS: readonly ApiVersionRange[] = API_HANDLERS.map(
  ({ apiKey, minVersion, maxVersion }) => ({ apiKey, minVersion, maxVersion }),
);
