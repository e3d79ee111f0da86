import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, NO_THROTTLE } from './api-handler';

/** DescribeGroups v0–2; an unknown group is reported as Dead, as Kafka does. */
export const describeGroupsHandler: ApiHandler = {
  apiKey: ApiKey.DescribeGroups,
  minVersion: 0,
  maxVersion: 2,
  handle(request, broker) {
    const groups = request.body
      .array((r) => r.string())
      .map((id) => broker.coordinator.describe(id));
    const writer = new Writer();
    if (request.version >= 1) {
      writer.int32(NO_THROTTLE);
    }

    return writer.array(groups, (w, group) => {
      w.int16(ErrorCode.None).string(group.groupId).string(group.state);
      w.string(group.protocolType).string(group.protocolName);
      w.array(group.members, (mw, member) => {
        mw.string(member.memberId).string(member.clientId).string(member.clientHost);
        mw.bytes(member.metadata).bytes(member.assignment);
      });
    });
  },
};
