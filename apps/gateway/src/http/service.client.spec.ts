import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { Caller } from './caller';
import { ServiceClient } from './service.client';

const caller: Caller = {
  tenantId: 'tenant-a',
  actorId: 'rep-a',
  correlationId: 'corr-1',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

/** A service that takes each request in, then drops the connection without an answer. */
async function serviceThatDiesMidRequest(): Promise<{ server: Server; url: string }> {
  const server = createServer((request) => {
    request.resume();
    request.on('end', () => request.socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A port on which nothing listens (any more). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));

  return port;
}

describe(ServiceClient.name, () => {
  it('says a write may have been made when the service took it and never answered', async () => {
    const { server, url } = await serviceThatDiesMidRequest();
    try {
      const client = new ServiceClient('pipeline', url);

      await expect(
        client.send(caller, 'POST', '/deals', { body: { title: 'x' } }),
      ).rejects.toMatchObject({ code: 'GATEWAY.OUTCOME_UNKNOWN', retriable: true });
      await expect(client.send(caller, 'GET', '/deals')).rejects.toMatchObject({
        code: 'GATEWAY.SERVICE_UNAVAILABLE',
      });
    } finally {
      server.close();
    }
  });

  it('says nothing was made when the service could not be reached', async () => {
    const client = new ServiceClient('pipeline', `http://127.0.0.1:${await closedPort()}`);

    await expect(
      client.send(caller, 'POST', '/deals', { body: { title: 'x' } }),
    ).rejects.toMatchObject({ code: 'GATEWAY.SERVICE_UNAVAILABLE', retriable: true });
  });
});
