import { Client } from 'pg';

/** How long a drop waits for the database's connections to close before forcing them out. */
const CLOSING_GRACE_MS = 1_000;
const POLL_MS = 20;

/**
 * Drops database `name` on the server of `serverUrl`. `pool.end()` resolves before its clients'
 * connections are closed, so a drop right after it would terminate backends that are about to
 * leave, and each of those clients would emit a FATAL 57P01 "error" nobody listens to any more.
 * The drop therefore lets connections leave on their own for a moment, then forces out the rest.
 */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const admin = new Client({ connectionString: serverUrl });
  admin.on('error', () => undefined);
  await admin.connect();
  try {
    const deadline = Date.now() + CLOSING_GRACE_MS;
    while (Date.now() < deadline && (await connectionsTo(admin, name)) > 0) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

async function connectionsTo(admin: Client, name: string): Promise<number> {
  const { rows } = await admin.query<{ connections: number }>(
    `SELECT count(*)::int AS connections FROM pg_stat_activity
     WHERE datname = $1 AND pid <> pg_backend_pid()`,
    [name],
  );

  return rows[0].connections;
}
