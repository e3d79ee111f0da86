import { ChildProcess, spawn, StdioOptions } from 'node:child_process';

import { LinePrefixer } from './log.prefixer';

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
}

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run at least this long counts as healthy: the next crash starts the backoff afresh. */
  stableAfterMs: number;
}

export interface SupervisorOptions {
  prefix: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Lines of the supervisor itself (restarts, kills). */
  announce: (line: string) => void;
  stopGraceMs: number;
  restart: RestartPolicy;
  now?: () => number;
}

export const DEFAULT_RESTART: RestartPolicy = {
  initialDelayMs: 1_000,
  maxDelayMs: 30_000,
  stableAfterMs: 60_000,
};

/** The pause before restart number `crashes` (1-based): doubling, capped. */
export function restartDelayMs(crashes: number, policy: RestartPolicy): number {
  return Math.min(policy.initialDelayMs * 2 ** Math.max(crashes - 1, 0), policy.maxDelayMs);
}

/**
 * Runs one service as a child process in its own process group, prefixes its output, restarts
 * it with backoff when it dies on its own, and stops it with SIGTERM, then SIGKILL after a grace
 * period. Its own process group keeps a terminal's Ctrl-C from reaching it directly, so that the
 * start tool decides the order in which things stop.
 */
export class SupervisedProcess {
  private child?: ChildProcess;
  /** Settles once the current child has exited and its output is flushed. */
  private closed: Promise<void> = Promise.resolve();
  private stopping = false;
  private crashes = 0;
  private startedAt = 0;
  private restartTimer?: NodeJS.Timeout;
  private readonly now: () => number;

  constructor(
    private readonly spec: ProcessSpec,
    private readonly options: SupervisorOptions,
  ) {
    this.now = options.now ?? (() => Date.now());
  }

  get name(): string {
    return this.spec.name;
  }

  get running(): boolean {
    return this.child !== undefined;
  }

  /** The running child's process id, which is also its process group's; undefined between runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** How many times it was restarted after dying on its own. */
  get restarts(): number {
    return this.crashes;
  }

  start(): void {
    this.stopping = false;
    this.spawnChild();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
    const child = this.child;
    const exited = this.closed;
    if (!child) return;
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    this.signal(child, 'SIGTERM');
    const timer = new Promise<'timeout'>((resolve) => {
      setTimeout(() => resolve('timeout'), this.options.stopGraceMs).unref();
    });
    if ((await Promise.race([exited, timer])) === 'timeout') {
      const seconds = this.options.stopGraceMs / 1000;
      this.options.announce(`${this.name} did not stop within ${seconds} s: killing it`);
      this.signal(child, 'SIGKILL');
      await exited;
    }
  }

  private spawnChild(): void {
    const { command, args, cwd, env } = this.spec;
    // The IPC channel closes when this process dies, even by SIGKILL: the child sees
    // 'disconnect' and stops instead of living on as an orphan that holds its port.
    const stdio: StdioOptions = ['pipe', 'pipe', 'pipe', 'ipc'];
    const child = spawn(command, args, { cwd, env, detached: true, stdio });
    child.stdin?.end();
    this.child = child;
    this.startedAt = this.now();
    const out = new LinePrefixer(this.options.prefix, this.options.stdout);
    const err = new LinePrefixer(this.options.prefix, this.options.stderr);
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => {
      this.options.announce(`${this.name} could not be started: ${error.message}`);
    });
    this.closed = new Promise((resolve) => {
      child.on('close', (code, signal) => {
        out.flush();
        err.flush();
        if (this.child === child) this.child = undefined;
        if (!this.stopping) this.scheduleRestart(code, signal);
        resolve();
      });
    });
  }

  private scheduleRestart(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.now() - this.startedAt >= this.options.restart.stableAfterMs) this.crashes = 0;
    this.crashes += 1;
    const delay = restartDelayMs(this.crashes, this.options.restart);
    const how = signal ? `signal ${signal}` : `code ${code}`;
    const seconds = (delay / 1000).toFixed(1);
    this.options.announce(`${this.name} exited (${how}); restarting in ${seconds} s`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      if (!this.stopping) this.spawnChild();
    }, delay);
  }

  private signal(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      // The negative pid addresses the child's whole process group.
      process.kill(-child.pid!, signal);
    } catch {
      child.kill(signal);
    }
  }
}
