import { ApiKey } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, NO_THROTTLE } from './api-handler';

/** Heartbeat v0–3: keeps a member's session alive and tells it about rebalances. */
export const heartbeatHandler: ApiHandler = {
  apiKey: ApiKey.Heartbeat,
  minVersion: 0,
  maxVersion: 3,
  handle(request, broker) {
    const { body, version } = request;
    const groupId = body.string();
    const generationId = body.int32();
    const memberId = body.string();
    const error = broker.coordinator.heartbeat(groupId, memberId, generationId);
    const writer = new Writer();
    if (version >= 1) {
      writer.int32(NO_THROTTLE);
    }

    return writer.int16(error);
  },
};
