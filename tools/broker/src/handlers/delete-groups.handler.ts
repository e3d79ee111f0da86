import { ApiKey } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, NO_THROTTLE } from './api-handler';

/** DeleteGroups v0–1: only empty groups; their committed offsets go with them. */
export const deleteGroupsHandler: ApiHandler = {
  apiKey: ApiKey.DeleteGroups,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, broker) {
    const groupIds = request.body.array((r) => r.string());
    const results = [];
    for (const groupId of groupIds) {
      results.push({ groupId, error: await broker.coordinator.delete(groupId) });
    }

    return new Writer().int32(NO_THROTTLE).array(results, (w, result) => {
      w.string(result.groupId).int16(result.error);
    });
  },
};
