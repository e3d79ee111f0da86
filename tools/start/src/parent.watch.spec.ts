import { watchParent } from './parent.watch';

describe(watchParent.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('stays quiet while the parent lives, and calls once when the process is adopted', () => {
    let parent = 4242;
    const onGone = jest.fn();
    watchParent(onGone, { intervalMs: 100, parentId: () => parent });

    jest.advanceTimersByTime(1_000);
    expect(onGone).not.toHaveBeenCalled();

    parent = 1;
    jest.advanceTimersByTime(100);
    jest.advanceTimersByTime(1_000);
    expect(onGone).toHaveBeenCalledTimes(1);
  });

  it('can be stopped', () => {
    let parent = 10;
    const onGone = jest.fn();
    const stop = watchParent(onGone, { intervalMs: 100, parentId: () => parent });

    stop();
    parent = 1;
    jest.advanceTimersByTime(1_000);
    expect(onGone).not.toHaveBeenCalled();
  });
});
