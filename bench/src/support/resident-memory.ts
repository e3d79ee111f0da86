import { readFileSync } from 'node:fs';

/** A process's resident memory in bytes, as the kernel counts it in `/proc/<pid>/status`. */
export interface ResidentMemory {
  /** `VmRSS`: every page in memory. */
  total: number;
  /**
   * `RssAnon`: the process's own pages (heaps, stacks), without the mapped files (code, native
   * libraries) the kernel may drop and read again when other processes need the memory.
   */
  anonymous: number;
}

/** Undefined when the process is gone or the system has no `/proc`. */
export function residentMemory(pid: number | undefined): ResidentMemory | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) =>
      Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1]);
    const memory = { total: kib('VmRSS') * 1024, anonymous: kib('RssAnon') * 1024 };

    return Number.isFinite(memory.total) ? memory : undefined;
  } catch {
    return undefined;
  }
}

export const MIB = 2 ** 20;
