import { ChaosScenario } from './chaos-scenario';
import { brokerOutageScenario } from './process/broker-outage.scenario';
import { gracefulStopScenario } from './process/graceful-stop.scenario';
import { postgresOutageScenario } from './process/postgres-outage.scenario';
import { serviceCrashesScenario } from './process/service-crashes.scenario';

/** Scenarios that crash, stop or multiply whole processes (services, broker, PostgreSQL). */
export const PROCESS_SCENARIOS: readonly ChaosScenario[] = [
  brokerOutageScenario,
  postgresOutageScenario,
  serviceCrashesScenario,
  gracefulStopScenario,
];
