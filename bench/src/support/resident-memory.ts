import { readFileSync } from 'node:fs';

/**
 * A process's resident set size in bytes, as the kernel counts it (`VmRSS` of
 * `/proc/<pid>/status`); undefined when the process is gone or the system has no `/proc`.
 */
export function residentBytes(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status)?.[1];

    return kib === undefined ? undefined : Number(kib) * 1024;
  } catch {
    return undefined;
  }
}

export const MIB = 2 ** 20;
