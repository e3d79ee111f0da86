import { Client } from 'pg';

import { createTestDatabase } from './test-database';

async function connectedClient(url: string): Promise<{ client: Client; errors: Error[] }> {
  const client = new Client({ connectionString: url });
  const errors: Error[] = [];
  client.on('error', (error) => errors.push(error));
  await client.connect();

  return { client, errors };
}

describe('createTestDatabase', () => {
  it('gives each caller an empty database of its own on the real server', async () => {
    const first = await createTestDatabase('first');
    const second = await createTestDatabase('second');
    try {
      expect(first.url).not.toEqual(second.url);
      const client = new Client({ connectionString: first.url });
      await client.connect();
      const { rows } = await client.query<{ db: string }>('SELECT current_database() AS db');
      await client.end();
      expect(first.url).toContain(rows[0].db);
    } finally {
      await first.drop();
      await second.drop();
    }
  });

  it('lets a connection that is about to close leave before it drops the database', async () => {
    const database = await createTestDatabase('closing');
    const { client, errors } = await connectedClient(database.url);
    const closed = new Promise((resolve) => setTimeout(resolve, 200)).then(() => client.end());

    await database.drop();
    await closed;

    expect(errors).toEqual([]);
  });

  it('forces out a connection that stays open and drops the database all the same', async () => {
    const database = await createTestDatabase('lingering');
    const { client, errors } = await connectedClient(database.url);
    try {
      await database.drop();

      expect(errors.map((error) => (error as Error & { code?: string }).code)).toEqual(['57P01']);
      await expect(connectedClient(database.url)).rejects.toMatchObject({ code: '3D000' });
    } finally {
      await client.end().catch(() => undefined);
    }
  });
});
