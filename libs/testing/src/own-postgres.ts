import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Relative imports, as in global-setup.ts: the launcher is npm start's, not a workspace library.
import { findFreePort } from '../../dev-stack/src/free-port';
import { launchEmbeddedPostgres } from '../../../tools/start/src/embedded-postgres.launcher';
import { REPO_ROOT } from '../../../tools/start/src/start.config';

export interface OwnPostgres {
  /** The `relate` database of a cluster nobody else uses. */
  url: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL cluster of its own, in a process of its own as `npm start` runs it, for a spec or
 * scenario that watches the whole cluster (its oldest transaction, say): on the shared test
 * server, other specs' transactions would show up in what it measures.
 */
export async function startOwnPostgres(label: string): Promise<OwnPostgres> {
  const parent = mkdtempSync(join(tmpdir(), `${label}-pg-`));
  // PostgreSQL runs as its own user when we are root; it must be able to reach its folder.
  chmodSync(parent, 0o755);
  const errors: string[] = [];
  try {
    const postgres = await launchEmbeddedPostgres({
      repoRoot: REPO_ROOT,
      dataDir: parent,
      port: await findFreePort(),
      output: { prefix: '', stdout: () => undefined, stderr: (text) => errors.push(text) },
      stopTimeoutMs: 15_000,
    });

    return {
      url: postgres.url,
      stop: async () => {
        await postgres.stop();
        rmSync(parent, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(parent, { recursive: true, force: true });
    throw new Error(`PostgreSQL of ${label} did not start: ${String(error)}\n${errors.join('')}`);
  }
}
