import { resolve } from 'node:path';

import {
  apiKeysProblem,
  BACKEND_SERVICES,
  BackendService,
  ConfigError,
  DEFAULT_MAIL_FROM,
  DEFAULT_SERVICE_PORTS,
  parseMailSettings,
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
  /** Set: the automation service sends through this server; unset: the local mail catcher. */
  smtpUrl?: string;
  /** The mail catcher's port on 127.0.0.1. */
  smtpPort: number;
  /** The sender of Relate's mail. */
  mailFrom: string;
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

/**
 * `SMTP_URL` and `MAIL_FROM`, checked before anything starts. The reasons never repeat the URL:
 * it may hold a password.
 */
function mail(env: NodeJS.ProcessEnv): { smtpUrl?: string; mailFrom: string } {
  try {
    const settings = parseMailSettings(env.SMTP_URL, env.MAIL_FROM);

    return { smtpUrl: settings?.smtpUrl, mailFrom: settings?.from ?? mailFromOnly(env) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new StartConfigError(error.violations.map((v) => `${v.variable} ${v.reason}`).join('; '));
  }
}

function mailFromOnly(env: NodeJS.ProcessEnv): string {
  return env.MAIL_FROM?.trim() || DEFAULT_MAIL_FROM;
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
  const mailSettings = mail(env);
  const smtpPort = port(env, 'RELATE_SMTP_PORT', 2525);
  // The catcher's port only matters when the catcher runs.
  const listening = [...Object.values(ports), ...(mailSettings.smtpUrl ? [] : [smtpPort])];
  if (new Set(listening).size !== listening.length) {
    const names = ['PORT', ...BACKEND_SERVICES.map(servicePortVariable), 'RELATE_SMTP_PORT'];
    throw new StartConfigError(`${names.join(', ')} must differ`);
  }

  return {
    repoRoot: REPO_ROOT,
    dataDir: resolve(REPO_ROOT, env.RELATE_DATA_DIR || '.data'),
    databaseUrl: env.DATABASE_URL || undefined,
    postgresPort: port(env, 'RELATE_PG_PORT', 5433),
    kafkaBrokers: env.KAFKA_BROKERS || undefined,
    brokerPort: port(env, 'RELATE_BROKER_PORT', 9092),
    ports,
    ...mailSettings,
    smtpPort,
    apiKeys: apiKeys(env.RELATE_API_KEYS),
    stopGraceMs: 10_000,
    healthTimeoutMs: 180_000,
    colour: isTty && !env.NO_COLOR,
  };
}
