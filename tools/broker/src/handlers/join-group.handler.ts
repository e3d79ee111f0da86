import { ApiKey } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, NO_THROTTLE } from './api-handler';

/**
 * JoinGroup v2–5; the response may be parked until the group's join phase completes. v0–1 are
 * not offered: KIP-896 removes them from Kafka 4 (see protocol/kafka-version-ranges.ts).
 */
export const joinGroupHandler: ApiHandler = {
  apiKey: ApiKey.JoinGroup,
  minVersion: 2,
  maxVersion: 5,
  async handle(request, broker) {
    const { body, version } = request;
    const groupId = body.string();
    const sessionTimeoutMs = body.int32();
    const rebalanceTimeoutMs = body.int32();
    const memberId = body.string();
    const groupInstanceId = version >= 5 ? body.nullableString() : null;
    const protocolType = body.string();
    const protocols = body.array((r) => ({ name: r.string(), metadata: r.bytes() }));
    const result = await broker.coordinator.join(groupId, {
      memberId,
      groupInstanceId,
      clientId: request.clientId,
      clientHost: request.clientHost,
      sessionTimeoutMs,
      rebalanceTimeoutMs,
      protocolType,
      protocols,
      requireKnownMemberId: version >= 4,
    });
    const writer = new Writer().int32(NO_THROTTLE);
    writer.int16(result.error).int32(result.generationId).string(result.protocolName);
    writer.string(result.leaderId).string(result.memberId);

    return writer.array(result.members, (w, member) => {
      w.string(member.memberId);
      if (version >= 5) {
        w.nullableString(member.groupInstanceId);
      }
      w.bytes(member.metadata);
    });
  },
};
