import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, NO_THROTTLE } from './api-handler';

/** LeaveGroup v0–3 (v3 names a list of members, each answered on its own). */
export const leaveGroupHandler: ApiHandler = {
  apiKey: ApiKey.LeaveGroup,
  minVersion: 0,
  maxVersion: 3,
  handle(request, broker) {
    const { body, version } = request;
    const groupId = body.string();
    const writer = new Writer();
    if (version >= 1) {
      writer.int32(NO_THROTTLE);
    }
    if (version < 3) {
      return writer.int16(broker.coordinator.leave(groupId, body.string()));
    }
    const members = body.array((r) => ({
      memberId: r.string(),
      groupInstanceId: r.nullableString(),
    }));
    const results = members.map((member) => ({
      ...member,
      error: broker.coordinator.leave(groupId, member.memberId),
    }));

    return writer.int16(ErrorCode.None).array(results, (w, member) => {
      w.string(member.memberId).nullableString(member.groupInstanceId).int16(member.error);
    });
  },
};
