import { BrokerLogger } from '../broker.config';
import { ErrorCode } from '../protocol/api-keys';
import { CommittedOffset, OffsetCommitEntry, OffsetStore } from '../storage/offset-store';
import { ConsumerGroup, GroupState, JoinRequest } from './consumer-group';
import { JoinResult, SyncResult } from './group-member';

export interface CoordinatorOptions {
  initialRebalanceDelayMs: number;
  minSessionTimeoutMs: number;
  maxSessionTimeoutMs: number;
}

export interface GroupDescription {
  groupId: string;
  state: GroupState;
  protocolType: string;
  protocolName: string;
  members: Array<{
    memberId: string;
    groupInstanceId: string | null;
    clientId: string;
    clientHost: string;
    metadata: Buffer;
    assignment: Buffer;
  }>;
}

export interface OffsetFetchResult {
  topic: string;
  partition: number;
  committed: CommittedOffset | undefined;
}

const EMPTY = Buffer.alloc(0);

/**
 * Coordinator of every consumer group (one broker coordinates them all). Group membership
 * lives in memory, as after a Kafka coordinator failover clients rejoin; committed offsets
 * live in the OffsetStore and survive restarts.
 *
 * TODO(#4): Kafka reloads each group's last generation after a restart, so members carry on;
 * here every group rebalances and records read but not yet committed come again.
 */
export class GroupCoordinator {
  private readonly groups = new Map<string, ConsumerGroup>();

  constructor(
    private readonly offsets: OffsetStore,
    private readonly options: CoordinatorOptions,
    private readonly logger: BrokerLogger,
  ) {}

  join(groupId: string, request: JoinRequest): Promise<JoinResult> | JoinResult {
    const invalid = (error: ErrorCode): JoinResult => ({
      error,
      generationId: -1,
      protocolName: '',
      leaderId: '',
      memberId: request.memberId,
      members: [],
    });
    if (groupId === '') {
      return invalid(ErrorCode.InvalidGroupId);
    }
    const { minSessionTimeoutMs, maxSessionTimeoutMs } = this.options;
    if (request.sessionTimeoutMs < minSessionTimeoutMs) {
      return invalid(ErrorCode.InvalidSessionTimeout);
    }
    if (request.sessionTimeoutMs > maxSessionTimeoutMs) {
      return invalid(ErrorCode.InvalidSessionTimeout);
    }

    return this.groupFor(groupId).join(request);
  }

  sync(
    groupId: string,
    memberId: string,
    generationId: number,
    assignments: Array<{ memberId: string; assignment: Buffer }>,
  ): Promise<SyncResult> | SyncResult {
    const group = this.groups.get(groupId);

    return group
      ? group.sync(memberId, generationId, assignments)
      : { error: ErrorCode.UnknownMemberId, assignment: EMPTY };
  }

  heartbeat(groupId: string, memberId: string, generationId: number): ErrorCode {
    return this.groups.get(groupId)?.heartbeat(memberId, generationId) ?? ErrorCode.UnknownMemberId;
  }

  leave(groupId: string, memberId: string): ErrorCode {
    return this.groups.get(groupId)?.leave(memberId) ?? ErrorCode.UnknownMemberId;
  }

  async commitOffsets(
    groupId: string,
    memberId: string,
    generationId: number,
    entries: OffsetCommitEntry[],
  ): Promise<ErrorCode> {
    if (groupId === '') {
      return ErrorCode.InvalidGroupId;
    }
    const group = this.groups.get(groupId);
    if (!group && generationId >= 0) {
      return ErrorCode.IllegalGeneration;
    }
    const error = group ? group.commitError(memberId, generationId) : ErrorCode.None;
    if (error !== ErrorCode.None) {
      return error;
    }
    if (!group) {
      // A simple (admin or manual) commit creates the group, as in Kafka.
      this.groupFor(groupId);
    }
    await this.offsets.commit(groupId, entries);

    return ErrorCode.None;
  }

  /** Committed offsets of the given partitions, or of every committed one when null. */
  fetchOffsets(
    groupId: string,
    topics: Array<{ topic: string; partitions: number[] }> | null,
  ): OffsetFetchResult[] {
    if (topics === null) {
      return this.offsets.list(groupId);
    }

    return topics.flatMap(({ topic, partitions }) =>
      partitions.map((partition) => ({
        topic,
        partition,
        committed: this.offsets.get(groupId, topic, partition),
      })),
    );
  }

  describe(groupId: string): GroupDescription {
    const group = this.groups.get(groupId);
    if (!group) {
      const known = this.offsets.list(groupId).length > 0;

      return {
        groupId,
        state: known ? 'Empty' : 'Dead',
        protocolType: known ? 'consumer' : '',
        protocolName: '',
        members: [],
      };
    }
    const stable = group.state === 'Stable';

    return {
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocolName: group.protocolName ?? '',
      members: [...group.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.settings.groupInstanceId,
        clientId: member.settings.clientId,
        clientHost: member.settings.clientHost,
        // Kafka shows metadata and assignment only once the generation is settled.
        metadata: stable ? member.metadataFor(group.protocolName ?? '') : EMPTY,
        assignment: stable ? member.assignment : EMPTY,
      })),
    };
  }

  list(): Array<{ groupId: string; protocolType: string }> {
    const ids = new Set([...this.groups.keys(), ...this.offsets.groupIds()]);

    return [...ids].map((groupId) => ({
      groupId,
      protocolType: this.groups.get(groupId)?.protocolType ?? 'consumer',
    }));
  }

  async delete(groupId: string): Promise<ErrorCode> {
    const group = this.groups.get(groupId);
    if (!group && this.offsets.list(groupId).length === 0) {
      return ErrorCode.GroupIdNotFound;
    }
    if (group && group.state !== 'Empty') {
      return ErrorCode.NonEmptyGroup;
    }
    group?.shutdown();
    this.groups.delete(groupId);
    await this.offsets.deleteGroup(groupId);
    this.logger.log('group deleted', { groupId });

    return ErrorCode.None;
  }

  forgetTopic(topic: string): Promise<void> {
    return this.offsets.deleteTopic(topic);
  }

  shutdown(): void {
    this.groups.forEach((group) => group.shutdown());
  }

  private groupFor(groupId: string): ConsumerGroup {
    let group = this.groups.get(groupId);
    if (!group) {
      group = new ConsumerGroup(
        groupId,
        { initialRebalanceDelayMs: this.options.initialRebalanceDelayMs },
        this.logger,
      );
      this.groups.set(groupId, group);
    }

    return group;
  }
}
