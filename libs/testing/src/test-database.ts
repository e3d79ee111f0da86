import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

import { dropDatabase } from './drop-database';
import { TEST_DATABASE_URL_ENV } from './test-stack';

export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
}

function serverUrl(): string {
  const url = process.env[TEST_DATABASE_URL_ENV] ?? process.env.DATABASE_URL;
  if (!url) {
    throw new Error(`${TEST_DATABASE_URL_ENV} is not set: run the tests through jest's setup`);
  }

  return url;
}

/** A fresh database of its own for one spec file, so specs never share rows. */
export async function createTestDatabase(label: string): Promise<TestDatabase> {
  const safeLabel = label.replace(/[^a-z0-9]/gi, '_').toLowerCase();
  const name = `t_${safeLabel}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: serverUrl() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;

  return {
    url: url.toString(),
    drop: () => dropDatabase(serverUrl(), name),
  };
}
