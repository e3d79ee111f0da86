import { RunningBroker, startBroker } from '@relate/broker';
import { BACKEND_SERVICES, servicePortVariable, serviceUrlVariable } from '@relate/config';
import { MailCatcher } from '@relate/mail';
import { join, relative } from 'node:path';

import { DEV_TENANT_ID, devApiKeyFile, ensureDevApiKey } from './dev-api-key';
import { launchEmbeddedPostgres, LaunchedPostgres } from './embedded-postgres.launcher';
import { waitForHealthy } from './health.check';
import { linePrefix } from './log.prefixer';
import { findBusyPorts } from './port.check';
import { PrefixedLogger } from './prefixed.logger';
import { DEFAULT_RESTART, SupervisedProcess } from './service.supervisor';
import { ServiceName, StartConfig } from './start.config';

export interface StackOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const SERVICES: ServiceName[] = [...BACKEND_SERVICES, 'gateway'];
const PREFIX_NAMES = ['relate', 'postgres', 'broker', 'mail', ...SERVICES];
const PREFIX_WIDTH = Math.max(...PREFIX_NAMES.map((name) => name.length));

/** Where each service answers its health check. */
export function healthUrl(service: ServiceName, port: number): string {
  const path = service === 'gateway' ? '/api/v1/health' : '/health';

  return `http://127.0.0.1:${port}${path}`;
}

/**
 * Everything `npm start` runs, started in dependency order (PostgreSQL, broker, services) and
 * stopped in the reverse one. `stop()` may come at any moment, also during `start()`.
 */
export class LocalStack {
  private postgres?: LaunchedPostgres;
  private broker?: RunningBroker;
  private mailCatcher?: MailCatcher;
  private readonly services: SupervisedProcess[] = [];
  private stopped = false;
  private starting?: Promise<void>;

  constructor(
    private readonly config: StartConfig,
    private readonly output: StackOutput,
  ) {}

  announce(line: string): void {
    this.output.stdout(`${this.prefix('relate')}${line}\n`);
  }

  start(): Promise<void> {
    this.starting ??= this.startInOrder();

    return this.starting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting?.catch(() => undefined);
    if (this.services.length > 0) {
      this.announce('stopping the services');
      await Promise.all(this.services.map((service) => service.stop()));
    }
    // After the services: one may still send mail while it stops.
    if (this.mailCatcher) {
      this.announce('stopping the mail catcher');
      await this.mailCatcher.stop();
    }
    if (this.broker) {
      this.announce('stopping the broker');
      await this.broker.close();
    }
    if (this.postgres) {
      this.announce('stopping PostgreSQL');
      await this.postgres.stop();
    }
    this.announce('stopped');
  }

  /** Kills the children without waiting: the answer to a second Ctrl-C. */
  kill(): void {
    for (const service of this.services) void service.stop();
  }

  /** Paths inside the repository relative to it, others as they are. */
  private shortPath(path: string): string {
    const inside = relative(this.config.repoRoot, path);

    return inside.startsWith('..') ? path : inside;
  }

  private prefix(name: string): string {
    const colourIndex = PREFIX_NAMES.indexOf(name);

    return linePrefix(name, { width: PREFIX_WIDTH, colour: this.config.colour, colourIndex });
  }

  private async startInOrder(): Promise<void> {
    await this.assertPortsFree();
    const databaseUrl = await this.startPostgres();
    if (this.stopped) return;
    const brokers = await this.startBroker();
    if (this.stopped) return;
    const mail = await this.startMailCatcher();
    if (this.stopped) return;
    const apiKeys = this.apiKeys();
    for (const name of SERVICES) {
      this.startService(name, { databaseUrl, brokers, keys: apiKeys.value, smtpUrl: mail.url });
    }
    const healthy = await this.waitForServices();
    if (this.stopped) return;
    this.printBanner(healthy, apiKeys.shown, apiKeys.key ?? '<key>', mail.shown);
  }

  private async assertPortsFree(): Promise<void> {
    const { ports } = this.config;
    const busy = await findBusyPorts({
      PORT: ports.gateway,
      ...Object.fromEntries(
        BACKEND_SERVICES.map((service) => [servicePortVariable(service), ports[service]]),
      ),
      ...(this.config.databaseUrl ? {} : { RELATE_PG_PORT: this.config.postgresPort }),
      ...(this.config.kafkaBrokers ? {} : { RELATE_BROKER_PORT: this.config.brokerPort }),
      ...(this.config.smtpUrl ? {} : { RELATE_SMTP_PORT: this.config.smtpPort }),
    });
    if (busy.length > 0) {
      const hint = 'is another npm start still running? Stop it, or choose other ports';
      throw new Error(`ports in use on 127.0.0.1: ${busy.join(', ')} (${hint})`);
    }
  }

  private async startPostgres(): Promise<string> {
    if (this.config.databaseUrl) {
      this.announce('using the PostgreSQL in DATABASE_URL');

      return this.config.databaseUrl;
    }
    const where = this.shortPath(join(this.config.dataDir, 'postgres'));
    this.announce(`starting PostgreSQL on 127.0.0.1:${this.config.postgresPort} (data: ${where})`);
    this.postgres = await launchEmbeddedPostgres({
      repoRoot: this.config.repoRoot,
      dataDir: this.config.dataDir,
      port: this.config.postgresPort,
      output: { prefix: this.prefix('postgres'), ...this.output },
      stopTimeoutMs: 30_000,
    });

    return this.postgres.url;
  }

  private async startBroker(): Promise<string> {
    if (this.config.kafkaBrokers) {
      this.announce('using the Kafka brokers in KAFKA_BROKERS');

      return this.config.kafkaBrokers;
    }
    // The broker runs inside this process: its log lines get a prefix like a child's.
    this.broker = await startBroker({
      host: '127.0.0.1',
      port: this.config.brokerPort,
      dataDir: join(this.config.dataDir, 'broker'),
      logger: new PrefixedLogger(this.prefix('broker'), this.output.stdout),
    });
    this.announce(`development broker listening on ${this.broker.address}`);

    return this.broker.address;
  }

  /** The SMTP server the automation service sends to, and how the banner names it. */
  private async startMailCatcher(): Promise<{ url: string; shown: string }> {
    if (this.config.smtpUrl) {
      this.announce('using the SMTP server in SMTP_URL');

      // Never shown: the URL may hold a password.
      return { url: this.config.smtpUrl, shown: 'sent through the SMTP server in SMTP_URL' };
    }
    const dir = join(this.config.dataDir, 'mail');
    this.mailCatcher = await MailCatcher.start({
      dir,
      port: this.config.smtpPort,
      logger: new PrefixedLogger(this.prefix('mail'), this.output.stdout),
    });
    const where = this.shortPath(dir);

    return {
      url: this.mailCatcher.url,
      shown: `caught in ${where}/ (one .eml file each, SMTP ${this.mailCatcher.url})`,
    };
  }

  private apiKeys(): { value: string; shown: string; key?: string } {
    if (this.config.apiKeys) {
      return { value: this.config.apiKeys, shown: 'one of the keys in RELATE_API_KEYS' };
    }
    const { key, created } = ensureDevApiKey(this.config.dataDir);
    const file = this.shortPath(devApiKeyFile(this.config.dataDir));
    const note = created ? `new, kept in ${file}` : `from ${file}`;

    return { value: `${key}=${DEV_TENANT_ID}`, shown: `${key}  (${note})`, key };
  }

  private startService(
    name: ServiceName,
    of: { databaseUrl: string; brokers: string; keys: string; smtpUrl: string },
  ) {
    const env = serviceEnvironment(name, {
      ...of,
      ports: this.config.ports,
      mailFrom: this.config.mailFrom,
      colour: this.config.colour,
    });
    const service = new SupervisedProcess(
      {
        name,
        command: process.execPath,
        args: ['-r', '@swc-node/register', `apps/${name}/src/main.ts`],
        cwd: this.config.repoRoot,
        env,
      },
      {
        prefix: this.prefix(name),
        stdout: this.output.stdout,
        stderr: this.output.stderr,
        announce: (line) => this.announce(line),
        stopGraceMs: this.config.stopGraceMs,
        restart: DEFAULT_RESTART,
      },
    );
    this.services.push(service);
    service.start();
  }

  private async waitForServices(): Promise<boolean> {
    const startedAt = Date.now();
    const results = await Promise.all(
      SERVICES.map(async (name) => {
        const healthy = await waitForHealthy(healthUrl(name, this.config.ports[name]), {
          timeoutMs: this.config.healthTimeoutMs,
          cancelled: () => this.stopped,
        });
        const seconds = ((Date.now() - startedAt) / 1000).toFixed(1);
        if (healthy) this.announce(`${name} is healthy (${seconds} s)`);
        else if (!this.stopped) this.announce(`${name} is not healthy after ${seconds} s`);

        return healthy;
      }),
    );

    return results.every(Boolean);
  }

  private printBanner(healthy: boolean, shown: string, key: string, mail: string): void {
    const api = `http://127.0.0.1:${this.config.ports.gateway}/api/v1`;
    startBanner({ healthy, api, shown, key, mail }).forEach((line) => this.announce(line));
  }
}

/** What the stack a service runs in is made of, as its environment tells it. */
export interface ServiceSurroundings {
  ports: Record<ServiceName, number>;
  databaseUrl: string;
  brokers: string;
  /** The gateway's `RELATE_API_KEYS`. */
  keys: string;
  smtpUrl?: string;
  mailFrom: string;
  colour: boolean;
}

/** The environment `npm start` gives a service: its port, the stack's addresses, its settings. */
export function serviceEnvironment(
  name: ServiceName,
  of: ServiceSurroundings,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  return {
    ...base,
    PORT: String(of.ports[name]),
    DATABASE_URL: of.databaseUrl,
    KAFKA_BROKERS: of.brokers,
    ...(of.colour ? {} : { NO_COLOR: '1' }),
    ...(name === 'gateway'
      ? {
          ...Object.fromEntries(
            BACKEND_SERVICES.map((service) => [
              serviceUrlVariable(service),
              `http://127.0.0.1:${of.ports[service]}`,
            ]),
          ),
          RELATE_API_KEYS: of.keys,
        }
      : {}),
    ...(name === 'automation' && of.smtpUrl !== undefined
      ? { SMTP_URL: of.smtpUrl, MAIL_FROM: of.mailFrom }
      : {}),
  };
}

/**
 * What `npm start` prints once the services answer. The import line names no folder: the data
 * set lives wherever the user put it.
 */
export function startBanner(of: {
  healthy: boolean;
  api: string;
  shown: string;
  key: string;
  mail: string;
}) {
  return [
    of.healthy ? 'Relate is running' : 'Relate is running, but not every service is healthy yet',
    `  gateway  ${of.api}`,
    `  API key  ${of.shown}`,
    `  try      curl -H 'x-api-key: ${of.key}' ${of.api}/pipelines`,
    '  import   npm run import -- <folder with the Maven CRM csv files>',
    `  mail     ${of.mail}`,
    'Ctrl-C stops everything.',
  ];
}
