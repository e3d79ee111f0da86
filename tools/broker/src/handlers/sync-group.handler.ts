import { ApiKey } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, NO_THROTTLE } from './api-handler';

/** SyncGroup v0–3; followers wait here until the leader has sent the assignments. */
export const syncGroupHandler: ApiHandler = {
  apiKey: ApiKey.SyncGroup,
  minVersion: 0,
  maxVersion: 3,
  async handle(request, broker) {
    const { body, version } = request;
    const groupId = body.string();
    const generationId = body.int32();
    const memberId = body.string();
    if (version >= 3) {
      body.nullableString(); // group instance id: static membership is not offered
    }
    const assignments = body.array((r) => ({ memberId: r.string(), assignment: r.bytes() }));
    const result = await broker.coordinator.sync(groupId, memberId, generationId, assignments);
    const writer = new Writer();
    if (version >= 1) {
      writer.int32(NO_THROTTLE);
    }

    // Never null: kafkajs cannot decode a null assignment (pitfall 7).
    return writer.int16(result.error).bytes(result.assignment);
  },
};
