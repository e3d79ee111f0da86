import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

import type { RebalanceMemberConfig } from './rebalance-member';

const REPOSITORY_ROOT = join(__dirname, '..', '..', '..', '..');
const MEMBER_SCRIPT = join(__dirname, 'rebalance-member.ts');
const READY_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 30_000;
const HOLD_TIMEOUT_MS = 5_000;

/** One consumer instance in a process of its own (see rebalance-member.ts). */
export class MemberProcess {
  private readonly child: ChildProcess;
  private readonly exited: Promise<number | null>;
  private output = '';

  constructor(readonly config: RebalanceMemberConfig) {
    this.child = spawn(process.execPath, ['-r', '@swc-node/register', MEMBER_SCRIPT], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, REBALANCE_MEMBER: JSON.stringify(config) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // Keep the tail of its log for a failure message; never let a full pipe block it.
    const keep = (chunk: Buffer) => (this.output = (this.output + chunk.toString()).slice(-2000));
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the member's runner has started (it joins the group right after). */
  ready(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.config.instance} not ready: ${this.output}`)),
        READY_TIMEOUT_MS,
      );
      const onMessage = (message: { ready?: boolean }) => {
        if (message.ready) {
          clearTimeout(timer);
          this.child.off('message', onMessage);
          resolve();
        }
      };
      this.child.on('message', onMessage);
      this.exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`${this.config.instance} exited with ${code}: ${this.output}`));
      });
    });
  }

  /** SIGTERM: the runner finishes its batch, leaves the group and the process exits. */
  async stop(): Promise<void> {
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), EXIT_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /**
   * SIGSTOP for a while, then SIGCONT: a stalled process (a long GC pause, a frozen VM). The
   * broker expires it and hands its partitions on; it wakes up as a zombie still holding the
   * batch it was working on, until it learns it was replaced. Frozen inside a transaction that
   * applies events (the member holds its next apply until told), not by chance between two.
   */
  async freeze(ms: number): Promise<void> {
    await this.inTransaction();
    this.child.kill('SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, ms));
    this.child.kill('SIGCONT');
  }

  /** Asks the member to hold its next apply, and resolves once it does (or after a while). */
  private inTransaction(): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.child.off('message', onMessage);
        resolve();
      };
      const onMessage = (message: { applying?: boolean }) => message.applying && done();
      // A member without partitions, or without traffic, applies nothing: freeze it anyway.
      const timer = setTimeout(done, HOLD_TIMEOUT_MS);
      this.child.on('message', onMessage);
      this.child.send({ holdNextApply: true });
    });
  }

  /** SIGKILL: no LeaveGroup, no more heartbeats; the broker expires it after its session. */
  async kill(): Promise<void> {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}
