import { ChaosScenario } from './chaos-scenario';
import { concurrentEditsScenario } from './library/concurrent-edits.scenario';
import { duplicateDeliveryScenario } from './library/duplicate-delivery.scenario';
import { lateCommitsScenario } from './library/late-commits.scenario';
import { rebalanceStormScenario } from './library/rebalance-storm.scenario';

/** Scenarios that drive the libraries and one service in-process with faults injected. */
export const LIBRARY_SCENARIOS: readonly ChaosScenario[] = [
  lateCommitsScenario,
  duplicateDeliveryScenario,
  rebalanceStormScenario,
  concurrentEditsScenario,
];
