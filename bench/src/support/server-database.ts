import { randomBytes } from 'node:crypto';

import { Client } from 'pg';

export interface ServerDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A database of its own on the PostgreSQL server of `serverUrl` (a running system's, say), so
 * that a baseline runs on the very server the system uses; `drop` removes it.
 */
export async function createDatabaseOn(serverUrl: string, label: string): Promise<ServerDatabase> {
  const safeLabel = label.replace(/[^a-z0-9]/gi, '_').toLowerCase();
  const name = `bench_${safeLabel}_${randomBytes(4).toString('hex')}`;
  await onServer(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;

  return {
    url: url.toString(),
    drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function onServer(serverUrl: string, statement: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
