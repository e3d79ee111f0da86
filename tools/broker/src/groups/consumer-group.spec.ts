import { ErrorCode } from '../protocol/api-keys';
import { RecordingLogger } from '../testing/broker-fixture';
import { ConsumerGroup, JoinRequest } from './consumer-group';
import { JoinResult } from './group-member';

describe(ConsumerGroup.name, () => {
  let group: ConsumerGroup;

  const request = (memberId: string, overrides: Partial<JoinRequest> = {}): JoinRequest => ({
    memberId,
    groupInstanceId: null,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 30_000,
    protocolType: 'consumer',
    protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from('meta') }],
    requireKnownMemberId: true,
    ...overrides,
  });

  /** The MEMBER_ID_REQUIRED round trip every v4+ client makes first. */
  const joinNew = (overrides: Partial<JoinRequest> = {}): Promise<JoinResult> => {
    const first = group.join(request('', overrides)) as JoinResult;
    expect(first.error).toBe(ErrorCode.MemberIdRequired);

    return Promise.resolve(group.join(request(first.memberId, overrides)));
  };

  const settle = async <T>(promise: Promise<T>): Promise<T> => {
    await jest.advanceTimersByTimeAsync(200);

    return promise;
  };

  beforeEach(() => {
    jest.useFakeTimers();
    group = new ConsumerGroup('g', { initialRebalanceDelayMs: 100 }, new RecordingLogger());
  });

  afterEach(() => {
    group.shutdown();
    jest.useRealTimers();
  });

  it('gives a new member an id, then forms generation 1 after the initial delay', async () => {
    const joined = await settle(joinNew());

    expect(joined).toMatchObject({ error: ErrorCode.None, generationId: 1 });
    expect(joined.leaderId).toBe(joined.memberId);
    expect(joined.members.map((m) => m.metadata.toString())).toEqual(['meta']);
    expect(group.state).toBe('CompletingRebalance');
  });

  it('takes two members arriving within the initial delay into one generation', async () => {
    const [a, b] = await settle(Promise.all([joinNew(), joinNew()]));
    const [leader, follower] = a.leaderId === a.memberId ? [a, b] : [b, a];

    expect(a.generationId).toBe(1);
    expect(b.generationId).toBe(1);
    expect(leader.members).toHaveLength(2);
    expect(follower.members).toEqual([]);
  });

  it('parks a follower sync until the leader sends the assignments', async () => {
    const [a, b] = await settle(Promise.all([joinNew(), joinNew()]));
    const [leader, follower] = a.leaderId === a.memberId ? [a, b] : [b, a];
    const followerSync = Promise.resolve(group.sync(follower.memberId, 1, []));
    const leaderSync = await group.sync(leader.memberId, 1, [
      { memberId: leader.memberId, assignment: Buffer.from('L') },
    ]);

    expect(leaderSync).toEqual({ error: ErrorCode.None, assignment: Buffer.from('L') });
    // Left out by the leader: zero-length bytes, never null.
    expect(await followerSync).toEqual({ error: ErrorCode.None, assignment: Buffer.alloc(0) });
    expect(group.state).toBe('Stable');
  });

  it('tells members of a rebalance through heartbeats when someone new joins', async () => {
    const first = await settle(joinNew());
    await group.sync(first.memberId, 1, []);
    const second = joinNew();

    expect(group.heartbeat(first.memberId, 1)).toBe(ErrorCode.RebalanceInProgress);
    const rejoined = Promise.resolve(group.join(request(first.memberId)));
    const [a, b] = await settle(Promise.all([rejoined, second]));

    expect([a.generationId, b.generationId]).toEqual([2, 2]);
  });

  it('answers stale generations and unknown members with their own errors', async () => {
    const joined = await settle(joinNew());
    await group.sync(joined.memberId, 1, []);

    expect(group.heartbeat(joined.memberId, 0)).toBe(ErrorCode.IllegalGeneration);
    expect(group.heartbeat('stranger', 1)).toBe(ErrorCode.UnknownMemberId);
    expect(group.join(request('stranger'))).toMatchObject({ error: ErrorCode.UnknownMemberId });
    expect(group.commitError(joined.memberId, 1)).toBe(ErrorCode.None);
  });

  it('goes back to Empty when the last member leaves', async () => {
    const joined = await settle(joinNew());
    await group.sync(joined.memberId, 1, []);

    expect(group.leave(joined.memberId)).toBe(ErrorCode.None);
    expect(group.state).toBe('Empty');
    expect(group.commitError('', -1)).toBe(ErrorCode.None);
  });

  it('expires a silent member and rebalances the rest', async () => {
    const [a, b] = await settle(Promise.all([joinNew(), joinNew()]));
    await Promise.all([group.sync(b.memberId, 1, []), group.sync(a.memberId, 1, [])]);
    expect(group.state).toBe('Stable');

    await jest.advanceTimersByTimeAsync(6_000);
    expect(group.heartbeat(a.memberId, 1)).toBe(ErrorCode.None);
    await jest.advanceTimersByTimeAsync(6_000);

    expect(group.members.has(b.memberId)).toBe(false);
    expect(group.heartbeat(a.memberId, 1)).toBe(ErrorCode.RebalanceInProgress);
  });

  it('refuses a member whose protocols share nothing with the group', async () => {
    await settle(joinNew());
    const stranger = group.join(
      request('', { protocols: [{ name: 'range', metadata: Buffer.alloc(0) }] }),
    );

    expect(stranger).toMatchObject({ error: ErrorCode.InconsistentGroupProtocol });
  });

  it('answers a parked follower sync with 27 when a new member joins', async () => {
    const [a, b] = await settle(Promise.all([joinNew(), joinNew()]));
    const follower = a.leaderId === a.memberId ? b : a;
    const parked = Promise.resolve(group.sync(follower.memberId, 1, []));
    void joinNew();

    expect(await parked).toMatchObject({ error: ErrorCode.RebalanceInProgress });
  });
});
