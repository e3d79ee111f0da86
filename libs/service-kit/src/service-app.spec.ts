import { EventEmitter } from 'node:events';

import { Logger } from '@nestjs/common';

import { closeWhenSupervisorGoes } from './service-app';

function processWith(send: (() => boolean) | undefined) {
  const proc = Object.assign(new EventEmitter(), {
    send,
    channel: { unref: jest.fn() },
    exit: jest.fn(),
  });

  return proc;
}

const logger = { warn: jest.fn() } as unknown as Logger;

describe(closeWhenSupervisorGoes.name, () => {
  it('closes the app and exits cleanly when the supervisor’s channel closes', async () => {
    const app = { close: jest.fn().mockResolvedValue(undefined) };
    const proc = processWith(() => true);

    closeWhenSupervisorGoes(app, logger, proc as never);
    proc.emit('disconnect');
    await new Promise((resolve) => setImmediate(resolve));

    expect(app.close).toHaveBeenCalledTimes(1);
    expect(proc.exit).toHaveBeenCalledWith(0);
    expect(proc.channel.unref).toHaveBeenCalled();
  });

  it('does nothing for a service run without a supervisor', () => {
    const app = { close: jest.fn() };
    const proc = processWith(undefined);

    closeWhenSupervisorGoes(app, logger, proc as never);
    proc.emit('disconnect');

    expect(app.close).not.toHaveBeenCalled();
  });
});
