import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';
import { STACK_SERVICES } from '../../../tools/chaos/src/support/chaos-stack';

const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user and system) a process has used so far; 0 once it is gone. */
export function cpuSecondsOf(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');

    // utime and stime, fields 14 and 15 of the file (11 and 12 after the command name).
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');

    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined;
  }
}

/** The postmaster of the system's PostgreSQL and its backends. */
function postgresPids(stack: ChaosStack): number[] {
  let postmaster: number;
  try {
    const file = join(stack.dir, 'pg', 'postgres', 'postmaster.pid');
    postmaster = Number(readFileSync(file, 'utf8').split('\n')[0]);
  } catch {
    return [];
  }
  const backends = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => parentOf(pid) === postmaster);

  return [postmaster, ...backends];
}

/** CPU seconds used so far, per process id, of each part of a running system, by name. */
export type CpuReading = Record<string, Map<number, number>>;

export function readSystemCpu(stack: ChaosStack): CpuReading {
  const reading: CpuReading = {};
  // A process gone between listing and reading (0) would count as giving its CPU back.
  const of = (pids: Array<number | undefined>) =>
    new Map(
      pids
        .filter((pid) => pid !== undefined)
        .map((pid) => [pid, cpuSecondsOf(pid)] as const)
        .filter(([, seconds]) => seconds > 0),
    );
  for (const name of STACK_SERVICES) reading[name] = of([stack.pid(name)]);
  reading.broker = of([stack.pid('broker')]);
  reading.postgres = of(postgresPids(stack));
  const own = process.cpuUsage();
  reading.bench = new Map([[process.pid, (own.user + own.system) / 1e6]]);

  return reading;
}

/**
 * CPU seconds each part spent between two readings: of the processes alive at the second one
 * (a PostgreSQL backend that ended in between takes what it spent along; one that started
 * counts whole).
 */
export function cpuSpent(before: CpuReading, after: CpuReading): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after).map(([name, pids]) => {
      let spent = 0;
      for (const [pid, seconds] of pids) spent += seconds - (before[name]?.get(pid) ?? 0);

      return [name, spent];
    }),
  );
}
