import { createServer, Server } from 'node:net';

import { findBusyPorts, isPortFree } from './port.check';

describe('findBusyPorts', () => {
  let server: Server;
  let busy: number;

  beforeAll(async () => {
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    busy = (server.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('names the settings whose port something already listens on', async () => {
    const free = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });

    expect(await isPortFree(free)).toBe(true);
    expect(await findBusyPorts({ PORT: busy, RELATE_PIPELINE_PORT: free })).toEqual([
      `PORT=${busy}`,
    ]);
  });
});
