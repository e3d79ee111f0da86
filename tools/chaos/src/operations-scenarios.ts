import { ChaosScenario } from './chaos-scenario';
import { poisonEventScenario } from './operations/poison-event.scenario';
import { relayHoldBackScenario } from './operations/relay-hold-back.scenario';

/** Scenarios about what operators see and do: parked events, a relay held back. */
export const OPERATIONS_SCENARIOS: readonly ChaosScenario[] = [
  poisonEventScenario,
  relayHoldBackScenario,
];
