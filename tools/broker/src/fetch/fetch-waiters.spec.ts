import { FetchWaiters, WatchedPartition } from './fetch-waiters';

describe(FetchWaiters.name, () => {
  let waiters: FetchWaiters;
  let highWatermark: number;
  const watch = (topic = 't', partition = 0): WatchedPartition => ({
    topic,
    partition,
    seenHighWatermark: 0,
    currentHighWatermark: () => highWatermark,
  });

  beforeEach(() => {
    waiters = new FetchWaiters();
    highWatermark = 0;
  });

  afterEach(() => waiters.closeAll());

  it('wakes a parked fetch on an append to one of its partitions', async () => {
    const woken = waiters.wait([watch('t', 0), watch('t', 1)], 60_000);
    waiters.notify('t', 1);

    expect(await woken).toBe('data');
    expect(waiters.size).toBe(0);
  });

  it('ignores appends to partitions the fetch does not watch', async () => {
    const woken = waiters.wait([watch('t', 0)], 50);
    waiters.notify('t', 1);
    waiters.notify('other', 0);

    expect(await woken).toBe('timeout');
  });

  it('returns at once when data arrived between reading and parking', async () => {
    highWatermark = 1;

    expect(await waiters.wait([watch()], 60_000)).toBe('data');
    expect(waiters.size).toBe(0);
  });

  it('wakes every fetch of a deleted topic', async () => {
    const woken = waiters.wait([watch('gone', 2)], 60_000);
    waiters.notifyTopic('gone');

    expect(await woken).toBe('data');
  });
});
