import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import { counted, replay, ReplayError } from './replay.runner';

/** A loopback server answering the operator endpoints from a script. */
async function fakeService(
  answer: (method: string, path: string) => { status: number; body: unknown },
): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    const { status, body } = answer(request.method ?? 'GET', request.url ?? '/');
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const model = (status: 'live' | 'rebuilding', rebuildId: string, applied: number) => ({
  name: 'contacts-people',
  kind: 'projection',
  status,
  appliedEvents: applied,
  error: null,
  rebuild: { id: rebuildId, durationMs: 1500, targetEvents: 10 },
});

describe(replay.name, () => {
  const servers: Server[] = [];

  afterEach(() => servers.splice(0).forEach((server) => server.close()));

  it('says to start Relate when the service does not answer', async () => {
    const { url, server } = await fakeService(() => ({ status: 200, body: {} }));
    await new Promise((resolve) => server.close(resolve));

    await expect(replay({ service: 'contacts', url, write: () => undefined })).rejects.toThrow(
      /contacts is not answering at .*start Relate with npm start first/,
    );
  });

  it('follows the rebuild until live and writes events and seconds', async () => {
    let looks = 0;
    const { url, server } = await fakeService((method) => {
      if (method === 'POST') {
        return { status: 202, body: { rebuildId: 'r1', projections: ['contacts-people'] } };
      }
      looks += 1;

      return {
        status: 200,
        body: { readModels: [model(looks < 2 ? 'rebuilding' : 'live', 'r1', 10)] },
      };
    });
    servers.push(server);
    const lines: string[] = [];

    const outcome = await replay({
      service: 'contacts',
      url,
      pollMs: 10,
      write: (l) => lines.push(l),
    });

    expect(outcome.readModels).toEqual([
      { name: 'contacts-people', appliedEvents: 10, seconds: 1.5 },
    ]);
    expect(lines).toContain('  contacts-people: 10 events in 1.5 s');
    // One read model: singular, not "1 read models".
    expect(lines[0]).toMatch(/^Rebuilding 1 read model of contacts: contacts-people/);
    expect(lines[lines.length - 1]).toMatch(/^Rebuilt 1 read model of contacts in /);
  });

  it('counts in the singular for one and in the plural otherwise', () => {
    expect([0, 1, 2].map((n) => counted(n, 'read model'))).toEqual([
      '0 read models',
      '1 read model',
      '2 read models',
    ]);
  });

  it('fails with the reason when refused, or replaced by another rebuild', async () => {
    const refusing = await fakeService(() => ({ status: 400, body: { message: 'Invalid input' } }));
    const replaced = await fakeService((method) =>
      method === 'POST'
        ? { status: 202, body: { rebuildId: 'r1', projections: ['contacts-people'] } }
        : { status: 200, body: { readModels: [model('rebuilding', 'r2', 0)] } },
    );
    servers.push(refusing.server, replaced.server);
    const run = (url: string) =>
      replay({ service: 'contacts', url, pollMs: 10, write: () => undefined });

    await expect(run(refusing.url)).rejects.toThrow(
      'contacts refused the rebuild: 400 Invalid input',
    );
    await expect(run(replaced.url)).rejects.toThrow(ReplayError);
    await expect(run(replaced.url)).rejects.toThrow(/another rebuild of contacts-people/);
  });
});
