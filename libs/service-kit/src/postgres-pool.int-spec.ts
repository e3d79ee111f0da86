import { Logger } from '@nestjs/common';
import { Client } from 'pg';

import { createTestDatabase, TestDatabase } from '@relate/testing';

import { createPool } from './postgres-pool';

async function eventually(probe: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) {
      throw new Error(`Condition not met within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(createPool.name, () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('postgres_pool');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('survives the server dropping an idle client and serves the next query', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const sut = createPool('test', { connectionString: database.url, max: 1 });
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await sut.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await eventually(() => warn.mock.calls.length > 0);

      expect(warn).toHaveBeenCalledWith(
        'idle database client failed',
        expect.objectContaining({ service: 'test', code: '57P01' }),
      );
      expect((await sut.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      warn.mockRestore();
      await admin.end();
      await sut.end();
    }
  });

  it('survives the server dropping a client that is checked out, between two queries', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const sut = createPool('test', { connectionString: database.url, max: 1 });
    const admin = new Client({ connectionString: database.url });
    await admin.connect();
    const client = await sut.connect();
    try {
      await client.query('BEGIN');
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
      await eventually(() => warn.mock.calls.length > 0);

      expect(warn).toHaveBeenCalledWith(
        'database client in use failed',
        expect.objectContaining({ service: 'test', code: '57P01' }),
      );
      await expect(client.query('SELECT 1')).rejects.toThrow();
      client.release(true);
      expect((await sut.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      warn.mockRestore();
      await admin.end();
      await sut.end();
    }
  });
});
