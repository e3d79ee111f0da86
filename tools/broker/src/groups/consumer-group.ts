import { randomUUID } from 'node:crypto';

import { BrokerLogger } from '../broker.config';
import { ErrorCode } from '../protocol/api-keys';
import { GroupMember, GroupProtocol, JoinResult, MemberSettings, SyncResult } from './group-member';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable' | 'Dead';

export interface JoinRequest extends MemberSettings {
  memberId: string;
  /** JoinGroup v4+: an empty member id first gets MEMBER_ID_REQUIRED and a fresh id. */
  requireKnownMemberId: boolean;
}

export interface GroupTimings {
  initialRebalanceDelayMs: number;
}

const EMPTY = Buffer.alloc(0);

/**
 * The classic group state machine of Kafka's GroupCoordinator (field guide §3), for one group:
 * Empty → PreparingRebalance → CompletingRebalance → Stable, and back to PreparingRebalance
 * whenever a member joins, leaves, changes its protocols or lets its session expire.
 */
export class ConsumerGroup {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType: string | null = null;
  protocolName: string | null = null;
  leaderId: string | null = null;
  readonly members = new Map<string, GroupMember>();
  private readonly pendingMemberIds = new Map<string, NodeJS.Timeout>();
  private joinTimer: NodeJS.Timeout | null = null;
  /** Set while an empty group waits for more first members (group.initial.rebalance.delay.ms). */
  private initialDelay: { remainingMs: number; newMemberAdded: boolean } | null = null;

  constructor(
    readonly groupId: string,
    private readonly timings: GroupTimings,
    private readonly logger: BrokerLogger,
  ) {}

  join(request: JoinRequest): Promise<JoinResult> | JoinResult {
    if (!this.supportsProtocols(request.protocolType, request.protocols)) {
      return this.joinError(ErrorCode.InconsistentGroupProtocol, request.memberId);
    }
    if (request.memberId === '') {
      const memberId = `${request.clientId}-${randomUUID()}`;
      if (request.requireKnownMemberId) {
        this.addPendingMemberId(memberId, request.sessionTimeoutMs);

        return this.joinError(ErrorCode.MemberIdRequired, memberId);
      }

      return this.addMemberAndRebalance(memberId, request);
    }
    if (this.pendingMemberIds.has(request.memberId)) {
      clearTimeout(this.pendingMemberIds.get(request.memberId));
      this.pendingMemberIds.delete(request.memberId);

      return this.addMemberAndRebalance(request.memberId, request);
    }
    const member = this.members.get(request.memberId);
    if (!member || this.state === 'Empty' || this.state === 'Dead') {
      return this.joinError(ErrorCode.UnknownMemberId, request.memberId);
    }

    return this.rejoin(member, request);
  }

  sync(
    memberId: string,
    generationId: number,
    assignments: Array<{ memberId: string; assignment: Buffer }>,
  ): Promise<SyncResult> | SyncResult {
    const member = this.members.get(memberId);
    if (!member) {
      return { error: ErrorCode.UnknownMemberId, assignment: EMPTY };
    }
    if (generationId !== this.generationId) {
      return { error: ErrorCode.IllegalGeneration, assignment: EMPTY };
    }
    switch (this.state) {
      case 'Empty':
      case 'Dead':
        return { error: ErrorCode.UnknownMemberId, assignment: EMPTY };
      case 'PreparingRebalance':
        return { error: ErrorCode.RebalanceInProgress, assignment: EMPTY };
      case 'Stable':
        this.touch(member);

        return { error: ErrorCode.None, assignment: member.assignment };
      case 'CompletingRebalance':
        return this.parkSync(member, assignments);
    }
  }

  heartbeat(memberId: string, generationId: number): ErrorCode {
    const member = this.members.get(memberId);
    if (!member) {
      return ErrorCode.UnknownMemberId;
    }
    if (generationId !== this.generationId) {
      return ErrorCode.IllegalGeneration;
    }
    switch (this.state) {
      case 'Empty':
      case 'Dead':
        return ErrorCode.UnknownMemberId;
      case 'PreparingRebalance':
        this.touch(member);

        return ErrorCode.RebalanceInProgress;
      case 'CompletingRebalance':
      case 'Stable':
        this.touch(member);

        return ErrorCode.None;
    }
  }

  leave(memberId: string): ErrorCode {
    const member = this.members.get(memberId);
    if (!member) {
      return ErrorCode.UnknownMemberId;
    }
    this.logger.log('group member left', { groupId: this.groupId, memberId });
    this.removeMember(member);

    return ErrorCode.None;
  }

  /** Kafka's checks for an OffsetCommit against this group (field guide §3.5). */
  commitError(memberId: string, generationId: number): ErrorCode {
    if (generationId < 0 && this.state === 'Empty') {
      return ErrorCode.None;
    }
    const member = this.members.get(memberId);
    if (!member) {
      return ErrorCode.UnknownMemberId;
    }
    if (generationId !== this.generationId) {
      return ErrorCode.IllegalGeneration;
    }
    if (this.state === 'CompletingRebalance') {
      return ErrorCode.RebalanceInProgress;
    }
    this.touch(member);

    return ErrorCode.None;
  }

  /** Drops timers so a closing broker leaves nothing scheduled. */
  shutdown(): void {
    this.clearJoinTimer();
    this.members.forEach((member) => member.dispose());
    this.pendingMemberIds.forEach((timer) => clearTimeout(timer));
    this.pendingMemberIds.clear();
  }

  private rejoin(member: GroupMember, request: JoinRequest): Promise<JoinResult> | JoinResult {
    const unchanged = member.hasSameProtocols(request.protocols);
    switch (this.state) {
      case 'CompletingRebalance':
        if (unchanged) {
          return this.currentGenerationFor(member);
        }
        break;
      case 'Stable':
        if (unchanged && member.memberId !== this.leaderId) {
          return this.currentGenerationFor(member);
        }
        break;
      default:
        break;
    }
    member.settings = { ...request };
    const parked = this.parkJoin(member);
    this.maybePrepareRebalance('member rejoined');
    this.checkJoinComplete();

    return parked;
  }

  private addMemberAndRebalance(memberId: string, request: JoinRequest): Promise<JoinResult> {
    const member = new GroupMember(memberId, { ...request });
    this.members.set(memberId, member);
    this.protocolType ??= request.protocolType;
    this.leaderId ??= memberId;
    const parked = this.parkJoin(member);
    this.touch(member);
    if (this.initialDelay) {
      this.initialDelay.newMemberAdded = true;
    }
    this.logger.log('group member joined', {
      groupId: this.groupId,
      memberId,
      clientId: request.clientId,
    });
    this.maybePrepareRebalance('member joined');
    this.checkJoinComplete();

    return parked;
  }

  private parkJoin(member: GroupMember): Promise<JoinResult> {
    // A client only re-sends JoinGroup after giving up on the earlier one; answer that one so
    // its connection's in-order response queue does not stall behind it.
    member.answerJoin(this.joinError(ErrorCode.RebalanceInProgress, member.memberId));

    return new Promise((resolve) => (member.awaitingJoin = resolve));
  }

  private parkSync(
    member: GroupMember,
    assignments: Array<{ memberId: string; assignment: Buffer }>,
  ): Promise<SyncResult> {
    member.answerSync({ error: ErrorCode.RebalanceInProgress, assignment: EMPTY });
    const parked = new Promise<SyncResult>((resolve) => (member.awaitingSync = resolve));
    if (member.memberId === this.leaderId) {
      const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
      this.members.forEach((m) => {
        // Members the leader left out get zero-length bytes: null would crash kafkajs' decoder.
        m.assignment = byMember.get(m.memberId) ?? EMPTY;
      });
      this.transition('Stable');
      this.members.forEach((m) => {
        if (m.awaitingSync) {
          this.touch(m);
          m.answerSync({ error: ErrorCode.None, assignment: m.assignment });
        }
      });
    }

    return parked;
  }

  private supportsProtocols(protocolType: string, protocols: GroupProtocol[]): boolean {
    if (this.members.size === 0) {
      return protocolType !== '' && protocols.length > 0;
    }
    const candidates = this.candidateProtocols();

    return protocolType === this.protocolType && protocols.some((p) => candidates.has(p.name));
  }

  /** Protocol names every current member supports. */
  private candidateProtocols(): Set<string> {
    const [first, ...others] = [...this.members.values()].map(
      (member) => new Set(member.settings.protocols.map((p) => p.name)),
    );

    return new Set([...(first ?? [])].filter((name) => others.every((names) => names.has(name))));
  }

  /** Each member votes for its most preferred candidate; ties go to the leader's preference. */
  private selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    this.members.forEach((member) => {
      const choice = member.settings.protocols.find((p) => candidates.has(p.name));
      if (choice) {
        votes.set(choice.name, (votes.get(choice.name) ?? 0) + 1);
      }
    });
    const leader = this.members.get(this.leaderId ?? '') ?? [...this.members.values()][0];
    const preference = leader.settings.protocols.map((p) => p.name).filter((n) => votes.has(n));

    return preference.reduce(
      (best, name) => ((votes.get(name) ?? 0) > (votes.get(best) ?? 0) ? name : best),
      preference[0] ?? '',
    );
  }

  private maybePrepareRebalance(reason: string): void {
    if (this.state === 'Stable' || this.state === 'CompletingRebalance' || this.state === 'Empty') {
      this.prepareRebalance(reason);
    }
  }

  private prepareRebalance(reason: string): void {
    if (this.state === 'CompletingRebalance') {
      this.members.forEach((member) => {
        member.assignment = EMPTY;
        member.answerSync({ error: ErrorCode.RebalanceInProgress, assignment: EMPTY });
      });
    }
    const wasEmpty = this.state === 'Empty';
    this.transition('PreparingRebalance');
    this.logger.log('group rebalancing', {
      groupId: this.groupId,
      reason,
      members: this.members.size,
    });
    this.clearJoinTimer();
    const rebalanceTimeoutMs = this.rebalanceTimeoutMs();
    if (wasEmpty && this.timings.initialRebalanceDelayMs > 0) {
      const delay = Math.min(this.timings.initialRebalanceDelayMs, rebalanceTimeoutMs);
      this.initialDelay = { remainingMs: rebalanceTimeoutMs - delay, newMemberAdded: false };
      this.scheduleJoinTimer(delay, () => this.onInitialDelayExpired());
    } else {
      this.scheduleJoinTimer(rebalanceTimeoutMs, () => this.completeJoin());
    }
  }

  /** Kafka's InitialDelayedJoin: keep waiting while new members keep arriving. */
  private onInitialDelayExpired(): void {
    const delay = this.initialDelay;
    if (delay && delay.newMemberAdded && delay.remainingMs > 0) {
      const next = Math.min(this.timings.initialRebalanceDelayMs, delay.remainingMs);
      this.initialDelay = { remainingMs: delay.remainingMs - next, newMemberAdded: false };
      this.scheduleJoinTimer(next, () => this.onInitialDelayExpired());

      return;
    }
    this.initialDelay = null;
    this.completeJoin();
  }

  private checkJoinComplete(): void {
    if (this.state !== 'PreparingRebalance' || this.initialDelay) {
      return;
    }
    const everyoneJoined = [...this.members.values()].every((member) => member.awaitingJoin);
    if (everyoneJoined && this.pendingMemberIds.size === 0) {
      this.completeJoin();
    }
  }

  private completeJoin(): void {
    this.clearJoinTimer();
    this.initialDelay = null;
    for (const member of [...this.members.values()]) {
      if (!member.awaitingJoin) {
        this.logger.log('group member dropped', {
          groupId: this.groupId,
          memberId: member.memberId,
          reason: 'did not rejoin within the rebalance timeout',
        });
        this.forget(member);
      }
    }
    this.generationId++;
    if (this.members.size === 0) {
      this.protocolName = null;
      this.leaderId = null;
      this.transition('Empty');

      return;
    }
    if (!this.leaderId || !this.members.has(this.leaderId)) {
      this.leaderId = this.members.keys().next().value ?? null;
    }
    this.protocolName = this.selectProtocol();
    this.transition('CompletingRebalance');
    this.logger.log('group generation formed', {
      groupId: this.groupId,
      generationId: this.generationId,
      protocol: this.protocolName,
      members: this.members.size,
    });
    this.members.forEach((member) => {
      this.touch(member);
      member.answerJoin(this.currentGenerationFor(member));
    });
  }

  private currentGenerationFor(member: GroupMember): JoinResult {
    const protocolName = this.protocolName ?? '';
    const isLeader = member.memberId === this.leaderId;

    return {
      error: ErrorCode.None,
      generationId: this.generationId,
      protocolName,
      leaderId: this.leaderId ?? '',
      memberId: member.memberId,
      members: isLeader
        ? [...this.members.values()].map((m) => ({
            memberId: m.memberId,
            groupInstanceId: m.settings.groupInstanceId,
            metadata: m.metadataFor(protocolName),
          }))
        : [],
    };
  }

  private removeMember(member: GroupMember): void {
    member.answerJoin(this.joinError(ErrorCode.UnknownMemberId, member.memberId));
    member.answerSync({ error: ErrorCode.UnknownMemberId, assignment: EMPTY });
    this.forget(member);
    if (this.state === 'Stable' || this.state === 'CompletingRebalance') {
      this.prepareRebalance('member left');
    }
    this.checkJoinComplete();
  }

  private forget(member: GroupMember): void {
    member.dispose();
    this.members.delete(member.memberId);
    if (this.leaderId === member.memberId) {
      this.leaderId = this.members.keys().next().value ?? null;
    }
  }

  private touch(member: GroupMember): void {
    member.touch(() => this.onSessionExpired(member));
  }

  private onSessionExpired(member: GroupMember): void {
    if (this.members.get(member.memberId) !== member) {
      return;
    }
    if (member.isParked) {
      this.touch(member);

      return;
    }
    this.logger.log('group member expired', {
      groupId: this.groupId,
      memberId: member.memberId,
      sessionTimeoutMs: member.settings.sessionTimeoutMs,
    });
    this.removeMember(member);
  }

  private addPendingMemberId(memberId: string, sessionTimeoutMs: number): void {
    const timer = setTimeout(() => {
      this.pendingMemberIds.delete(memberId);
      this.checkJoinComplete();
    }, sessionTimeoutMs);
    timer.unref();
    this.pendingMemberIds.set(memberId, timer);
  }

  private rebalanceTimeoutMs(): number {
    let timeout = 0;
    this.members.forEach((m) => (timeout = Math.max(timeout, m.settings.rebalanceTimeoutMs)));

    return timeout;
  }

  private scheduleJoinTimer(delayMs: number, onExpire: () => void): void {
    this.joinTimer = setTimeout(onExpire, delayMs);
    this.joinTimer.unref();
  }

  private clearJoinTimer(): void {
    if (this.joinTimer) {
      clearTimeout(this.joinTimer);
      this.joinTimer = null;
    }
  }

  private transition(state: GroupState): void {
    this.state = state;
  }

  private joinError(error: ErrorCode, memberId: string): JoinResult {
    return {
      error,
      generationId: -1,
      protocolName: '',
      leaderId: '',
      memberId,
      members: [],
    };
  }
}
