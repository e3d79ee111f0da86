import { ChaosFigures } from '../chaos-figures';
import { ChaosScale, ChaosScenario } from '../chaos-scenario';
import { sleep } from '../support/chaos-stack';
import {
  auditCommands,
  compareWithRebuild,
  outboxBacklog,
  outboxMarks,
  settle,
  untilApplied,
} from '../support/read-model-check';
import {
  acknowledgedOf,
  FaultPlan,
  LoadedStack,
  runFaultWindows,
  sentDuring,
  windowFigures,
} from './fault-windows';

type BrokerFault = 'kill9' | 'stop';

const PLANS: Record<ChaosScale, FaultPlan<BrokerFault>> = {
  short: {
    faults: ['kill9'],
    warmupMs: 3_000,
    outageMs: 6_000,
    afterMs: 2_000,
    recoveryTimeoutMs: 60_000,
  },
  full: {
    faults: ['kill9', 'stop'],
    warmupMs: 5_000,
    outageMs: 20_000,
    afterMs: 5_000,
    recoveryTimeoutMs: 120_000,
  },
};

/** What one outage of the broker looked like. */
export interface BrokerOutage {
  fault: BrokerFault;
  seconds: number;
  /** Commands sent while the broker was down, and how many got a 2xx. */
  commands: number;
  acknowledged: number;
  /** The most events waiting in the outboxes during the outage. */
  backlog: number;
  /** From the broker back to every event stored until then published by its relay. */
  relayedSeconds: number;
  /** From the broker back to every event acknowledged so far applied by every read model. */
  recoverySeconds: number;
}

export interface BrokerOutageResult {
  figures: ChaosFigures;
  outages: BrokerOutage[];
  /** Commands answered other than 2xx, over the whole run. */
  notAcknowledged: number;
  rebuiltTables: number;
  rebuiltRows: number;
}

/**
 * Scenario 3: the broker goes away (kill -9, and a clean stop) while commands keep coming.
 * Commands must keep getting 2xx, their events waiting in the outboxes; once the broker is back
 * every acknowledged event must reach every read model of every service within seconds, and the
 * read models must equal a from-scratch rebuild (nothing lost, nothing applied twice).
 */
export async function runBrokerOutage(scale: ChaosScale): Promise<BrokerOutageResult> {
  const plan = PLANS[scale];

  return runFaultWindows({
    plan,
    failure: 'scenario 3 (broker outage)',
    outage: (loaded, fault) => outage(loaded, plan, fault),
    conclude: async ({ stack, driver, followed }, outages) => {
      const records = await driver.stop();
      await settle(stack, plan.recoveryTimeoutMs);
      const audit = await auditCommands(stack, records, followed);
      const rebuilt = await compareWithRebuild(stack);
      const notAcknowledged = records.length - audit.acknowledged;
      const faults = outages
        .map((o) => `${o.fault} ${o.seconds.toFixed(0)} s: ${o.acknowledged}/${o.commands} 2xx`)
        .join(', ');
      const backlog = Math.max(...outages.map((o) => o.backlog));
      const relayed = Math.max(...outages.map((o) => o.relayedSeconds));

      return {
        figures: {
          scenario: 3,
          name: 'broker outage under load',
          ...windowFigures(audit, rebuilt, outages),
          detail:
            `${faults}; outbox backlog up to ${backlog} events, relayed ${relayed.toFixed(1)} s ` +
            `after; ${notAcknowledged} of ${records.length} commands not 2xx; read models = ` +
            `rebuild: ${rebuilt.differing.length === 0 ? 'yes' : 'NO'} (${rebuilt.tables} ` +
            `tables, ${rebuilt.rows} rows)` +
            (audit.problems.length > 0 ? `; ${audit.problems.slice(0, 3).join('; ')}` : ''),
        },
        outages,
        notAcknowledged,
        rebuiltTables: rebuilt.tables,
        rebuiltRows: rebuilt.rows,
      };
    },
  });
}

async function outage(
  { stack, driver, followed }: LoadedStack,
  plan: FaultPlan<BrokerFault>,
  fault: BrokerFault,
): Promise<BrokerOutage> {
  const down = Date.now();
  if (fault === 'kill9') await stack.killBroker();
  else await stack.stopBroker();
  let backlog = 0;
  while (Date.now() - down < plan.outageMs) {
    backlog = Math.max(backlog, await outboxBacklog(stack));
    await sleep(250);
  }
  backlog = Math.max(backlog, await outboxBacklog(stack));
  await stack.startBroker();
  const back = Date.now();
  const during = await sentDuring(driver, down, back);
  const marks = await outboxMarks(stack);
  const relayed = (async () => {
    while ((await outboxBacklog(stack, marks)) > 0 && Date.now() - back < plan.recoveryTimeoutMs) {
      await sleep(100);
    }

    return (Date.now() - back) / 1000;
  })();
  const sentBefore = () => driver.records.filter((r) => r.sentAt < back);
  await untilApplied(stack, sentBefore, followed, plan.recoveryTimeoutMs);
  const recoverySeconds = (Date.now() - back) / 1000;
  const relayedSeconds = await relayed;

  return {
    fault,
    seconds: (back - down) / 1000,
    commands: during.length,
    acknowledged: acknowledgedOf(during),
    backlog,
    relayedSeconds,
    recoverySeconds,
  };
}

export const brokerOutageScenario: ChaosScenario = {
  id: 3,
  name: 'broker outage under load',
  run: async (scale) => {
    const { figures, outages } = await runBrokerOutage(scale);
    // Beyond lost and doubled: commands kept succeeding while the broker was away.
    if (outages.some((o) => o.acknowledged < o.commands)) {
      throw new Error(`scenario 3 broke its promise: ${figures.detail}`);
    }

    return figures;
  },
};
