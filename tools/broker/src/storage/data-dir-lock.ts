import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const LOCK_FILE = 'broker.lock';
/** Data folders locked by brokers of this process (a pid check cannot tell those apart). */
const lockedHere = new Set<string>();

export class DataDirLockedError extends Error {}

/**
 * Keeps two brokers from appending to the same logs. The lock file names the owning process;
 * a lock left behind by a process that no longer runs is taken over.
 */
export async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const path = join(dataDir, LOCK_FILE);
  if (lockedHere.has(path)) {
    throw new DataDirLockedError(`${dataDir} is in use by another broker of this process`);
  }
  const owner = Number(await readFile(path, 'utf8').catch(() => 'NaN'));
  if (Number.isInteger(owner) && owner !== process.pid && isRunning(owner)) {
    throw new DataDirLockedError(`${dataDir} is in use by the broker of process ${owner}`);
  }
  await writeFile(path, String(process.pid));
  lockedHere.add(path);

  return async () => {
    lockedHere.delete(path);
    await rm(path, { force: true });
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);

    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
