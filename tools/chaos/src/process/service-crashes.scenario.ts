import { ChaosFigures } from '../chaos-figures';
import { ChaosScale, ChaosScenario } from '../chaos-scenario';
import { ChaosStack, sleep, STACK_SERVICES } from '../support/chaos-stack';
import { CommandDriver, CommandKind } from '../support/command-driver';
import {
  auditCommands,
  CommandAudit,
  compareWithRebuild,
  followedPrefixes,
  readModelVersions,
  RebuildComparison,
  settle,
} from '../support/read-model-check';
import {
  auditReactors,
  defineRuleWitness,
  ReactorAudit,
  reactorsLost,
  reactorsTwice,
} from './service-crashes.rule-witness';

interface CrashPlan {
  /** Every service (and the gateway) is killed this many times, in a random order. */
  rounds: number;
  /** Random pause before each kill, in ms. */
  gapMs: [number, number];
  /** Commands keep flowing this long after every service is back. */
  tailMs: number;
  concurrency: number;
}

const PLANS: Record<ChaosScale, CrashPlan> = {
  short: { rounds: 1, gapMs: [800, 2500], tailMs: 1_000, concurrency: 4 },
  full: { rounds: 4, gapMs: [300, 4000], tailMs: 3_000, concurrency: 6 },
};

export interface Kill {
  service: string;
  /** Since the commands started, in ms. */
  atMs: number;
  pid: number;
}

/** The common figures, and what the scenario saw on the way. */
export interface ServiceCrashesFigures extends ChaosFigures {
  kills: Kill[];
  commands: CommandAudit;
  reactors: ReactorAudit;
  rebuild: RebuildComparison;
  /** Answers a client could not rely on either way (no answer, service unavailable). */
  unknownOutcomes: number;
}

export interface ServiceCrashesScenario extends ChaosScenario {
  run(scale: ChaosScale): Promise<ServiceCrashesFigures>;
}

const ALL_KINDS: CommandKind[] = ['company', 'person', 'deal', 'move', 'activity', 'task'];

/**
 * Scenario 2: the whole system as processes (`npm start`'s way), a steady stream of commands
 * through the gateway touching every service, and a rule whose firings make the reactors work
 * (follow-up tasks, mails, notifications). Each service, the gateway included, is killed with
 * SIGKILL at random moments (each at least once, in a random order, while the others may still be
 * coming back) and restarted by its supervisor. Then, once everything is relayed and applied:
 * every acknowledged command's events are in the event store and in every read model that follows
 * their stream; a command whose answer was lost is there entirely or not at all; the reactors did
 * each firing's work exactly once; and every read model table equals, row for row, a
 * from-scratch rebuild of it.
 */
export const serviceCrashesScenario: ServiceCrashesScenario = {
  id: 2,
  name: 'kill -9 of services',
  run: (scale) => runServiceCrashes(PLANS[scale]),
};

async function runServiceCrashes(plan: CrashPlan): Promise<ServiceCrashesFigures> {
  const stack = await ChaosStack.start({ label: 'chaoskill-crashes' });
  try {
    const witness = await defineRuleWitness(stack);
    const driver = new CommandDriver(stack.gateway, stack.tenantId, {
      concurrency: plan.concurrency,
    });
    await driver.prepare();
    // One command of each kind before any fault: which read model follows which stream type.
    for (const kind of ALL_KINDS) {
      const record = await driver.send(kind);
      if (record.outcome !== 'acknowledged') {
        throw new Error(`warm-up ${kind} not acknowledged: ${record.status} ${record.error}`);
      }
    }
    await settle(stack);
    const followed = followedPrefixes(await readModelVersions(stack), stack.tenantId);

    const started = Date.now();
    const load = steadyLoad(driver, plan.concurrency);
    const kills: Kill[] = [];
    for (const service of killOrder(plan.rounds)) {
      await sleep(between(plan.gapMs));
      // A service its supervisor is still bringing back has no process to kill yet.
      const pid = await processOf(stack, service);
      await stack.kill9(service);
      kills.push({ service, atMs: Date.now() - started, pid });
    }
    const last = kills[kills.length - 1];
    await restarted(stack, last);
    await stack.waitHealthy(undefined, 90_000);
    const lastRestart = Date.now();
    await sleep(plan.tailMs);
    const records = await load.stop();
    await settle(stack, 120_000);
    const recoverySeconds = (Date.now() - lastRestart) / 1000;

    const commands = await auditCommands(stack, records, followed);
    const reactors = await auditReactors(stack, witness);
    const rebuild = await compareWithRebuild(stack, 120_000);
    const unknownOutcomes = commands.unknownStored + commands.unknownAbsent;
    const lost =
      commands.lostInStore +
      commands.missingInReadModels +
      commands.half +
      rebuild.onlyRebuilt +
      reactorsLost(reactors);
    const appliedTwice = rebuild.onlyLive + reactorsTwice(reactors);

    return {
      scenario: 2,
      name: 'kill -9 of services',
      acknowledged: commands.acknowledged,
      expectedEvents: commands.expectedEvents,
      foundEvents: commands.inEveryReadModel,
      lost,
      appliedTwice,
      recoverySeconds,
      detail: [
        `${kills.length} kills (${killCounts(kills)})`,
        `${records.length} commands: ${unknownOutcomes} without answer ` +
          `(${commands.unknownStored} stored whole, ${commands.unknownAbsent} absent, ` +
          `${commands.half} half), ${commands.failedButStored} failed but stored`,
        `rule: ${reactors.moves} moves, ${reactors.firings} firings, ` +
          `${reactors.tasksCreated}/${reactors.tasksRequested} tasks, ` +
          `${reactors.mailsQueued} mails (${reactors.mailsWithoutOutcome} claimed unsent), ` +
          `${reactors.notifications} notifications, ${reactors.reminders} reminders`,
        `rebuild: ${rebuild.tables} tables, ${rebuild.rows} rows, ` +
          `${rebuild.differing.length} differ`,
        'recovery s = last restart healthy until all relayed and applied, ' +
          `the load stopping ${plan.tailMs / 1000} s after it`,
        ...commands.problems.slice(0, 3),
      ].join('; '),
      kills,
      commands,
      reactors,
      rebuild,
      unknownOutcomes,
    };
  } catch (error) {
    throw stack.failure(error, 'scenario 2 (kill -9 of services)');
  } finally {
    await stack.stop();
  }
}

const CYCLE: CommandKind[] = ['company', 'person', 'deal', 'move', 'activity', 'move', 'task'];

/**
 * Workers sending the driver's commands one after another. A command that got no answer (its
 * service or the gateway down) is followed by a pause, as a client backs off, so that an outage
 * does not turn into a flood of instant refusals.
 */
function steadyLoad(driver: CommandDriver, workers: number) {
  let running = true;
  const work = async (worker: number) => {
    for (let turn = worker; running; turn += 1) {
      const record = await driver.send(CYCLE[turn % CYCLE.length]);
      await sleep(record.outcome === 'unknown' ? 250 : 20);
    }
  };
  const all = Promise.all(Array.from({ length: workers }, (_, worker) => work(worker)));

  return {
    stop: async () => {
      running = false;
      await all;

      return driver.records;
    },
  };
}

/** Every service `rounds` times, shuffled, never the same one twice in a row. */
export function killOrder(rounds: number, random: () => number = Math.random): string[] {
  const order: string[] = [];
  for (let round = 0; round < rounds; round++) {
    const services = [...STACK_SERVICES];
    for (let i = services.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [services[i], services[j]] = [services[j], services[i]];
    }
    if (order.length > 0 && services[0] === order[order.length - 1]) {
      services.push(services.shift() as (typeof services)[number]);
    }
    order.push(...services);
  }

  return order;
}

/** The pid of the service's current process, waiting (bounded) while it is being restarted. */
async function processOf(stack: ChaosStack, service: string): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const pid = stack.pid(service);
    if (pid !== undefined) return pid;
    if (Date.now() > deadline) throw new Error(`${service} was not restarted within 30 s`);
    await sleep(50);
  }
}

/** Waits (bounded) until the killed service runs as a new process that answers its health. */
async function restarted(stack: ChaosStack, kill: Kill): Promise<void> {
  const deadline = Date.now() + 30_000;
  while ([undefined, kill.pid].includes(stack.pid(kill.service))) {
    if (Date.now() > deadline) throw new Error(`${kill.service} was not restarted within 30 s`);
    await sleep(50);
  }
  await stack.waitHealthy([kill.service], 90_000);
}

function between([low, high]: [number, number]): number {
  return low + Math.floor(Math.random() * (high - low));
}

function killCounts(kills: Kill[]): string {
  const counts = new Map<string, number>();
  for (const { service } of kills) counts.set(service, (counts.get(service) ?? 0) + 1);

  return [...counts].map(([service, count]) => `${service} ${count}`).join(', ');
}
