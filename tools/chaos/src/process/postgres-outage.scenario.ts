import { ChaosFigures } from '../chaos-figures';
import { ChaosScale, ChaosScenario } from '../chaos-scenario';
import { ChaosStack, sleep, STACK_SERVICES } from '../support/chaos-stack';
import { CommandDriver, CommandRecord } from '../support/command-driver';
import { CommandAudit, compareWithRebuild, untilApplied } from '../support/read-model-check';
import {
  acknowledgedOf,
  FaultPlan,
  LoadedStack,
  runFaultWindows,
  sentDuring,
  windowFigures,
} from './fault-windows';

type PostgresFault = 'kill9' | 'immediate';

interface Plan extends FaultPlan<PostgresFault> {
  /** No command may wait longer than this for its answer, outage or not. */
  answerBoundMs: number;
}

const PLANS: Record<ChaosScale, Plan> = {
  short: {
    faults: ['kill9'],
    warmupMs: 3_000,
    outageMs: 5_000,
    afterMs: 4_000,
    answerBoundMs: 10_000,
    recoveryTimeoutMs: 60_000,
  },
  full: {
    faults: ['kill9', 'immediate'],
    warmupMs: 5_000,
    outageMs: 15_000,
    afterMs: 8_000,
    answerBoundMs: 10_000,
    recoveryTimeoutMs: 120_000,
  },
};

/** What one outage of PostgreSQL looked like. */
export interface PostgresOutage {
  fault: PostgresFault;
  seconds: number;
  /** Commands sent while PostgreSQL was down, by outcome. */
  commands: number;
  acknowledged: number;
  failed: number;
  unknown: number;
  /** How the commands that did not succeed were answered: `<status> <code>` → count. */
  answers: Record<string, number>;
  /** The longest wait for an answer during the outage. */
  slowestMs: number;
  /** From PostgreSQL back to every service answering its health check. */
  healthySeconds: number;
  /** From PostgreSQL back to the first command sent after it that got a 2xx. */
  reconnectSeconds: number;
  /** From PostgreSQL back to every event acknowledged before applied by every read model. */
  recoverySeconds: number;
  /** Services the supervisor had to restart meanwhile (they exited), with how often. */
  restarted: Record<string, number>;
}

export interface PostgresOutageResult {
  figures: ChaosFigures;
  outages: PostgresOutage[];
  audit: CommandAudit;
  /** Commands that waited longer than the bound for their answer. */
  tooSlow: number;
  rebuiltRows: number;
}

/**
 * Scenario 4: PostgreSQL stopped hard (SIGKILL of the postmaster; in full also an immediate
 * shutdown) under a steady stream of commands, then started again on the same data. Commands
 * meanwhile fail fast with a 5xx, none hangs; the services reconnect by themselves; every command
 * that got a 2xx is in the event store and in every read model, none that failed is, and one
 * whose answer was lost is there entirely or not at all.
 */
export async function runPostgresOutage(scale: ChaosScale): Promise<PostgresOutageResult> {
  const plan = PLANS[scale];

  return runFaultWindows({
    plan,
    failure: 'scenario 4 (PostgreSQL outage)',
    driver: { timeoutMs: plan.answerBoundMs + 5_000 },
    outage: (loaded, fault) => outage(loaded, plan, fault),
    conclude: async ({ stack, driver, followed }, outages) => {
      const records = await driver.stop();
      const caughtUp = Date.now();
      const audit = await untilApplied(stack, () => records, followed, plan.recoveryTimeoutMs);
      const catchUpSeconds = (Date.now() - caughtUp) / 1000;
      const rebuilt = await compareWithRebuild(stack);
      const tooSlow = records.filter((r) => r.ms > plan.answerBoundMs).length;
      const rebuildEqual = rebuilt.differing.length === 0;

      return {
        figures: {
          scenario: 4,
          name: 'PostgreSQL stopped hard',
          ...windowFigures(audit, rebuilt, outages),
          detail: detail(outages, audit, rebuildEqual, catchUpSeconds, tooSlow),
        },
        outages,
        audit,
        tooSlow,
        rebuiltRows: rebuilt.rows,
      };
    },
  });
}

async function outage(
  { stack, driver, followed }: LoadedStack,
  plan: Plan,
  fault: PostgresFault,
): Promise<PostgresOutage> {
  const restartsBefore = restartsOf(stack);
  const down = Date.now();
  await stack.killPostgres(fault);
  await sleep(plan.outageMs);
  await stack.startPostgres();
  const back = Date.now();
  await stack.waitHealthy(undefined, plan.recoveryTimeoutMs);
  const healthySeconds = (Date.now() - back) / 1000;
  const firstAfter = await firstAcknowledgedAfter(driver, back, plan.recoveryTimeoutMs);
  const before = (r: CommandRecord) => r.sentAt < back;
  await untilApplied(stack, () => driver.records.filter(before), followed, plan.recoveryTimeoutMs);
  const recoverySeconds = (Date.now() - back) / 1000;
  const during = await sentDuring(driver, down, back);
  const answers: Record<string, number> = {};
  for (const record of during.filter((r) => r.outcome !== 'acknowledged')) {
    const key = `${record.status ?? 'no answer'} ${record.error ?? ''}`.trim();
    answers[key] = (answers[key] ?? 0) + 1;
  }
  const restartsAfter = restartsOf(stack);
  const restarted = Object.fromEntries(
    Object.entries(restartsAfter)
      .map(([name, count]) => [name, count - (restartsBefore[name] ?? 0)] as const)
      .filter(([, count]) => count > 0),
  );

  return {
    fault,
    seconds: (back - down) / 1000,
    commands: during.length,
    acknowledged: acknowledgedOf(during),
    failed: during.filter((r) => r.outcome === 'failed' || r.outcome === 'rejected').length,
    unknown: during.filter((r) => r.outcome === 'unknown').length,
    answers,
    slowestMs: Math.max(0, ...during.map((r) => r.ms)),
    healthySeconds,
    reconnectSeconds: (firstAfter.sentAt + firstAfter.ms - back) / 1000,
    recoverySeconds,
    restarted,
  };
}

function restartsOf(stack: ChaosStack): Record<string, number> {
  return Object.fromEntries(STACK_SERVICES.map((name) => [name, stack.restarts(name)]));
}

async function firstAcknowledgedAfter(
  driver: CommandDriver,
  moment: number,
  timeoutMs: number,
): Promise<CommandRecord> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const first = driver.records.find((r) => r.sentAt >= moment && r.outcome === 'acknowledged');
    if (first !== undefined) return first;
    if (Date.now() > deadline) {
      throw new Error(`no command succeeded within ${timeoutMs} ms of PostgreSQL coming back`);
    }
    await sleep(50);
  }
}

function detail(
  outages: PostgresOutage[],
  audit: CommandAudit,
  rebuildEqual: boolean,
  catchUpSeconds: number,
  tooSlow: number,
): string {
  const each = outages.map((o) => {
    const answers = Object.entries(o.answers)
      .map(([answer, count]) => `${count}x ${answer}`)
      .join(', ');
    const restarted = Object.entries(o.restarted)
      .map(([name, count]) => `${name} ${count}x`)
      .join(', ');

    return (
      `${o.fault} ${o.seconds.toFixed(0)} s: ${o.commands} commands, ${answers || 'all 2xx'}, ` +
      `slowest ${o.slowestMs} ms; healthy ${o.healthySeconds.toFixed(1)} s, first 2xx ` +
      `${o.reconnectSeconds.toFixed(1)} s after, read models ${o.recoverySeconds.toFixed(1)} s ` +
      `after; restarted: ${restarted || 'none'}`
    );
  });

  return [
    ...each,
    `failed but stored ${audit.failedButStored}, unknown outcome ${audit.unknownStored} ` +
      `stored + ${audit.unknownAbsent} absent, half-applied ${audit.half}`,
    `answers over ${tooSlow === 0 ? 'bound: none' : `bound: ${tooSlow}`}`,
    `read models caught up ${catchUpSeconds.toFixed(1)} s after the stream stopped, = rebuild: ` +
      (rebuildEqual ? 'yes' : 'NO'),
    ...audit.problems.slice(0, 3),
  ].join('; ');
}

export const postgresOutageScenario: ChaosScenario = {
  id: 4,
  name: 'PostgreSQL stopped hard',
  run: async (scale) => {
    const { figures, audit, tooSlow } = await runPostgresOutage(scale);
    // Beyond lost and doubled: what failed must not be there, nothing half, no answer too late.
    if (audit.failedButStored + audit.half + tooSlow > 0) {
      throw new Error(`scenario 4 broke its promise: ${figures.detail}`);
    }

    return figures;
  },
};
