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

/** The postmaster of the system's PostgreSQL and its backends: the server's CPU seconds. */
function postgresCpuSeconds(stack: ChaosStack): number {
  let postmaster: number;
  try {
    const file = join(stack.dir, 'pg', 'postgres', 'postmaster.pid');
    postmaster = Number(readFileSync(file, 'utf8').split('\n')[0]);
  } catch {
    return 0;
  }
  const backends = readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => parentOf(pid) === postmaster);

  return [postmaster, ...backends].reduce((sum, pid) => sum + cpuSecondsOf(pid), 0);
}

/** CPU seconds used so far by each process of a running system, by name. */
export function systemCpuSeconds(stack: ChaosStack): Record<string, number> {
  const seconds: Record<string, number> = {};
  for (const name of STACK_SERVICES) seconds[name] = cpuSecondsOf(stack.pid(name));
  seconds.broker = cpuSecondsOf(stack.pid('broker'));
  seconds.postgres = postgresCpuSeconds(stack);
  seconds.bench = process.cpuUsage().user / 1e6 + process.cpuUsage().system / 1e6;

  return seconds;
}

/** What each process used between two readings of `systemCpuSeconds`. */
export function cpuSpent(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  return Object.fromEntries(
    Object.keys(after).map((name) => [name, after[name] - (before[name] ?? 0)]),
  );
}
