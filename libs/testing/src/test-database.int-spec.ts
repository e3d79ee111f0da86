import { Client } from 'pg';

import { createTestDatabase } from './test-database';

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
});
