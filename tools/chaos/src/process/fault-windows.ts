import { ChaosFigures } from '../chaos-figures';
import { ChaosStack, sleep } from '../support/chaos-stack';
import { CommandDriver, CommandRecord, DriverOptions } from '../support/command-driver';
import {
  CommandAudit,
  followedPrefixes,
  readModelVersions,
  RebuildComparison,
} from '../support/read-model-check';

/** How long a server stays away, and the load around it, for one scale of a scenario. */
export interface FaultPlan<Fault> {
  faults: Fault[];
  warmupMs: number;
  outageMs: number;
  /** Commands keep flowing this long after the server is back, before the next fault. */
  afterMs: number;
  /** Everything acknowledged must be in every read model within this, or the scenario fails. */
  recoveryTimeoutMs: number;
}

/** Where a fault window, or the conclusion after all of them, works. */
export interface LoadedStack {
  stack: ChaosStack;
  driver: CommandDriver;
  /** Which read models follow which stream types, taken before the first fault. */
  followed: Map<string, Set<string>>;
}

export interface FaultWindows<Fault, Outage extends { recoverySeconds: number }, Result> {
  plan: FaultPlan<Fault>;
  /** Names the scenario in the error thrown when it fails, with every process's output. */
  failure: string;
  driver?: DriverOptions;
  /** Takes the server away, brings it back and measures what that did. */
  outage(loaded: LoadedStack, fault: Fault): Promise<Outage>;
  /** After the last fault: stops the load and checks what it left. */
  conclude(loaded: LoadedStack, outages: Outage[]): Promise<Result>;
}

/**
 * A fault scenario of a server the services depend on: the whole stack under a steady stream of
 * commands (four at a time), warmed up, then each fault of the plan in turn with `afterMs` of
 * load after it, then the conclusion. The load and the stack end whatever happens.
 */
export async function runFaultWindows<Fault, Outage extends { recoverySeconds: number }, Result>(
  scenario: FaultWindows<Fault, Outage, Result>,
): Promise<Result> {
  const { plan } = scenario;
  const stack = await ChaosStack.start({ label: 'chaosproc' });
  const driver = new CommandDriver(stack.gateway, stack.tenantId, {
    concurrency: 4,
    ...scenario.driver,
  });
  try {
    await driver.prepare();
    driver.start();
    await sleep(plan.warmupMs);
    // Held against the read models after the faults, so that one that missed a stream type
    // altogether is still held to it.
    const followed = followedPrefixes(await readModelVersions(stack), stack.tenantId);
    const loaded = { stack, driver, followed };
    const outages: Outage[] = [];
    for (const fault of plan.faults) {
      outages.push(await scenario.outage(loaded, fault));
      await sleep(plan.afterMs);
    }

    return await scenario.conclude(loaded, outages);
  } catch (error) {
    throw stack.failure(error, scenario.failure);
  } finally {
    await driver.stop();
    await stack.stop();
  }
}

/** The commands sent while the server was away, once each has its answer (or has none). */
export async function sentDuring(
  driver: CommandDriver,
  down: number,
  back: number,
): Promise<CommandRecord[]> {
  await driver.answered(back);

  return driver.records.filter((r) => r.sentAt >= down && r.sentAt < back);
}

export function acknowledgedOf(records: readonly CommandRecord[]): number {
  return records.filter((r) => r.outcome === 'acknowledged').length;
}

/**
 * The figures every fault window scenario reports: what was acknowledged, found in every read
 * model, lost (missing, or only in the rebuild) and applied twice (only in the live tables), and
 * the slowest recovery of all the windows.
 */
export function windowFigures(
  audit: CommandAudit,
  rebuilt: RebuildComparison,
  outages: ReadonlyArray<{ recoverySeconds: number }>,
): Omit<ChaosFigures, 'scenario' | 'name' | 'detail'> {
  return {
    acknowledged: audit.acknowledged,
    expectedEvents: audit.expectedEvents,
    foundEvents: audit.inEveryReadModel,
    lost: audit.expectedEvents - audit.inEveryReadModel + rebuilt.onlyRebuilt,
    appliedTwice: rebuilt.onlyLive,
    recoverySeconds: Math.max(...outages.map((o) => o.recoverySeconds)),
  };
}
