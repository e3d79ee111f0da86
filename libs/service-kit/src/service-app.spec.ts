import { EventEmitter } from 'node:events';
import { Agent, createServer, get, IncomingMessage, Server } from 'node:http';
import { AddressInfo, connect } from 'node:net';

import { Logger } from '@nestjs/common';

import { closeWhenSupervisorGoes, HttpDrain, stopGracefully } from './service-app';

function processWith(send: (() => boolean) | undefined) {
  const proc = Object.assign(new EventEmitter(), {
    send,
    channel: { unref: jest.fn() },
    exit: jest.fn(),
  });

  return proc;
}

const logger = { log: jest.fn(), warn: jest.fn(), error: jest.fn() } as unknown as Logger;

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

describe(HttpDrain.name, () => {
  let server: Server;
  let agent: Agent;
  let release: () => void = () => undefined;

  beforeEach(async () => {
    const slow = new Promise<void>((resolve) => (release = resolve));
    server = createServer((request, response) => {
      const answer = () => response.end(request.url);
      if (request.url === '/slow') {
        void slow.then(answer);
      } else {
        answer();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    agent = new Agent({ keepAlive: true, maxSockets: 4 });
  });

  afterEach(() => {
    release();
    agent.destroy();
    server.closeAllConnections();
    server.close();
  });

  let port = 0;
  const call = (path: string, via: Agent | false = agent) =>
    new Promise<IncomingMessage & { text: string }>((resolve, reject) => {
      get({ host: '127.0.0.1', port, path, agent: via }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve(Object.assign(response, { text })));
      }).on('error', reject);
    });

  it('answers the request in progress, closes idle kept-alive ones, refuses new ones', async () => {
    const drain = new HttpDrain(server);
    await call('/fast');
    const idle = [...Object.values(agent.freeSockets).flat()];
    expect(idle).toHaveLength(1);
    const idleClosed = new Promise((resolve) => idle[0]?.once('close', resolve));
    // On a connection of its own: the agent would reuse the idle one.
    const slow = call('/slow', new Agent({ keepAlive: true }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(drain.inFlight).toBe(1);

    let closed = false;
    const closing = drain.close().then(() => (closed = true));
    await idleClosed;
    await expect(call('/new', false)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(closed).toBe(false);
    release();
    const answered = await slow;
    await closing;

    expect(answered.statusCode).toBe(200);
    expect(answered.text).toBe('/slow');
    expect(answered.headers.connection).toBe('close');
    expect(drain.inFlight).toBe(0);
  });

  it('closes a connection whose request has not fully arrived, not waiting for it', async () => {
    const drain = new HttpDrain(server);
    const stalled = connect(port, '127.0.0.1');
    await new Promise((resolve) => stalled.once('connect', resolve));
    stalled.write('GET /stalled HTTP/1.1\r\nHost: x\r\n');
    const dropped = new Promise((resolve) => stalled.once('close', resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));

    const closed = await Promise.race([
      drain.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still open'), 2_000)),
    ]);

    expect(closed).toBe('closed');
    await dropped;
  });
});

describe(stopGracefully.name, () => {
  const signalled = () => Object.assign(new EventEmitter(), { exit: jest.fn() });

  it('drains HTTP, closes the app, exits 0; a second signal changes nothing', async () => {
    const steps: string[] = [];
    const http = { inFlight: 2, close: jest.fn(async () => void steps.push('http')) };
    const app = { close: jest.fn(async () => void steps.push('app')) };
    const proc = signalled();
    proc.exit.mockImplementation(() => steps.push('exit'));

    const stop = stopGracefully(app, http, logger, { proc: proc as never });
    proc.emit('SIGTERM');
    proc.emit('SIGINT');
    await stop('again');

    expect(steps).toEqual(['http', 'app', 'exit']);
    expect(proc.exit).toHaveBeenCalledWith(0);
  });

  it('exits 1 when stopping takes longer than its bound', async () => {
    const http = { inFlight: 0, close: () => new Promise<void>(() => undefined) };
    const app = { close: jest.fn() };
    const proc = signalled();
    const exited = new Promise((resolve) => proc.exit.mockImplementation(resolve));

    stopGracefully(app, http, logger, { proc: proc as never, timeoutMs: 20 });
    proc.emit('SIGTERM');

    await expect(exited).resolves.toBe(1);
    expect(app.close).not.toHaveBeenCalled();
  });
});
