import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, NO_THROTTLE } from './api-handler';

/** ListGroups v0–2: live groups and groups known only by their committed offsets. */
export const listGroupsHandler: ApiHandler = {
  apiKey: ApiKey.ListGroups,
  minVersion: 0,
  maxVersion: 2,
  handle(request, broker) {
    const writer = new Writer();
    if (request.version >= 1) {
      writer.int32(NO_THROTTLE);
    }

    return writer.int16(ErrorCode.None).array(broker.coordinator.list(), (w, group) => {
      w.string(group.groupId).string(group.protocolType);
    });
  },
};
