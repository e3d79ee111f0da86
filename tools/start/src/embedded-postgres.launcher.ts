import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import { LinePrefixer } from './log.prefixer';
import { PostgresHostMessage } from './postgres.host';
import { SupervisorOptions } from './service.supervisor';

export interface LaunchedPostgres {
  url: string;
  stop(): Promise<void>;
}

export interface PostgresLaunchOptions {
  repoRoot: string;
  dataDir: string;
  port: number;
  output: Pick<SupervisorOptions, 'prefix' | 'stdout' | 'stderr'>;
  stopTimeoutMs: number;
}

/** Starts `postgres.host.ts` and waits until the `relate` database answers. */
export function launchEmbeddedPostgres(options: PostgresLaunchOptions): Promise<LaunchedPostgres> {
  const dataDir = join(options.dataDir, 'postgres');
  mkdirSync(options.dataDir, { recursive: true, mode: 0o755 });
  const child = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join(__dirname, 'postgres.host.ts')],
    {
      cwd: options.repoRoot,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: { ...process.env, RELATE_PG_DATA_DIR: dataDir, RELATE_PG_PORT: String(options.port) },
    },
  );
  const out = new LinePrefixer(options.output.prefix, options.output.stdout);
  const err = new LinePrefixer(options.output.prefix, options.output.stderr);
  child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));

  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('message', (message: PostgresHostMessage) => {
      if (message.type === 'ready' && message.url) {
        resolve({ url: message.url, stop: () => stopHost(child, exited, options.stopTimeoutMs) });
      } else {
        reject(new Error(message.message ?? 'PostgreSQL did not start'));
      }
    });
    void exited.then(() => reject(new Error(`PostgreSQL exited (code ${child.exitCode})`)));
  });
}

async function stopHost(child: ChildProcess, exited: Promise<void>, timeoutMs: number) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => {
    setTimeout(() => resolve('timeout'), timeoutMs).unref();
  });
  if ((await Promise.race([exited, timer])) === 'timeout') {
    // PostgreSQL recovers from its write-ahead log on the next start.
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
  }
}
