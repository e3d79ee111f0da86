import { resolve } from 'node:path';

import {
  apiKeysProblem,
  BACKEND_SERVICES,
  BackendService,
  DEFAULT_SERVICE_PORTS,
  servicePortVariable,
} from '@relate/config';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

export type ServiceName = BackendService | 'gateway';

export interface StartConfig {
  repoRoot: string;
  dataDir: string;
  /** Set: use this PostgreSQL; unset: run the embedded one. */
  databaseUrl?: string;
  postgresPort: number;
  /** Set: use these brokers; unset: run the development broker. */
  kafkaBrokers?: string;
  brokerPort: number;
  ports: Record<ServiceName, number>;
  /** Set: the gateway's keys as given; unset: the development key in the data folder. */
  apiKeys?: string;
  /** How long a service may take to stop after SIGTERM before it is killed. */
  stopGraceMs: number;
  /** How long to wait for every service to answer its health check. */
  healthTimeoutMs: number;
  colour: boolean;
}

export class StartConfigError extends Error {
  override readonly name = 'StartConfigError';
}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new StartConfigError(`${name} must be a port number (1-65535), not "${raw}"`);
  }

  return value;
}

/** Checked before anything starts: a bad setting would only crash-loop the gateway. */
function apiKeys(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const problem = apiKeysProblem(raw);
  if (problem !== undefined) throw new StartConfigError(`RELATE_API_KEYS ${problem}`);

  return raw;
}

/** Reads the environment once, at the entry point. */
export function readStartConfig(env: NodeJS.ProcessEnv, isTty: boolean): StartConfig {
  const ports = Object.fromEntries([
    ['gateway', port(env, 'PORT', 3000)],
    ...BACKEND_SERVICES.map((service) => [
      service,
      port(env, servicePortVariable(service), DEFAULT_SERVICE_PORTS[service]),
    ]),
  ]) as Record<ServiceName, number>;
  if (new Set(Object.values(ports)).size !== Object.keys(ports).length) {
    const names = ['PORT', ...BACKEND_SERVICES.map(servicePortVariable)].join(', ');
    throw new StartConfigError(`${names} must differ`);
  }

  return {
    repoRoot: REPO_ROOT,
    dataDir: resolve(REPO_ROOT, env.RELATE_DATA_DIR || '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    postgresPort: port(env, 'RELATE_PG_PORT', 5433),
    kafkaBrokers: env.KAFKA_BROKERS || undefined,
    brokerPort: port(env, 'RELATE_BROKER_PORT', 9092),
    ports,
    apiKeys: apiKeys(env.RELATE_API_KEYS),
    stopGraceMs: 10_000,
    healthTimeoutMs: 180_000,
    colour: isTty && !env.NO_COLOR,
  };
}
