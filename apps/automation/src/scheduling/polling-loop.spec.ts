import { Logger } from '@nestjs/common';

import { PollingLoop } from './polling-loop';

function quietLogger(): Logger & { warned: string[] } {
  const warned: string[] = [];

  return Object.assign(new Logger('spec'), {
    warned,
    warn: (message: string) => warned.push(message),
  }) as Logger & { warned: string[] };
}

describe(PollingLoop.name, () => {
  it('keeps going after a failed round, and stop() waits for the round in progress', async () => {
    const logger = quietLogger();
    let rounds = 0;
    let inRound = false;
    let overlapped = false;
    let finishedAfterStop = false;
    let release: () => void = () => undefined;
    const loop = new PollingLoop(
      'spec',
      1,
      async () => {
        overlapped ||= inRound;
        inRound = true;
        rounds += 1;
        if (rounds === 1) {
          inRound = false;
          throw new Error('first round fails');
        }
        if (rounds === 3) {
          await new Promise<void>((resolve) => (release = resolve));
          finishedAfterStop = loop.stopped;
        }
        inRound = false;
      },
      logger,
    );

    loop.start();
    while (rounds < 3) {
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const stopped = loop.stop();
    release();
    await stopped;
    const roundsAtStop = rounds;
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(logger.warned).toEqual(['spec round failed; retrying']);
    expect(overlapped).toBe(false);
    expect(finishedAfterStop).toBe(true);
    expect(rounds).toBe(roundsAtStop);
  });
});
