import { ChildProcess, spawn, spawnSync } from 'node:child_process';

/** What one kcat run printed, and how it ended. */
export interface KcatResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** The JSON line `kcat -C -J` prints per message. */
export interface KcatMessage {
  topic: string;
  partition: number;
  offset: number;
  ts: number;
  key: string | null;
  payload: string | null;
  /** Alternating names and values. */
  headers?: string[];
}

export function kcatInstalled(): boolean {
  return spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
}

/**
 * `describe` when kcat is installed. Without it the specs fail in CI (where `.ci/run` installs
 * it); elsewhere they are left out, with a console warning and a test that names the reason.
 */
export function describeWithKcat(name: string, specs: () => void): void {
  if (kcatInstalled()) {
    describe(name, specs);

    return;
  }
  const reason = 'kcat is not installed: apt-get install kcat (.ci/run does it)';
  describe(name, () => {
    it(process.env.CI ? 'needs kcat' : `is left out: ${reason}`, () => {
      if (process.env.CI) {
        throw new Error(reason);
      }
      console.warn(`"${name}" left out: ${reason}`);
    });
  });
}

/** Runs kcat to its end, feeding `input` on stdin; killed and rejected after `timeoutMs`. */
export function runKcat(
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<KcatResult> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const child = spawn('kcat', args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const output = collect(child);
  child.stdin?.end(options.input ?? '');

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`kcat ${args.join(' ')} still running after ${timeoutMs} ms`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout: output.stdout(), stderr: output.stderr(), code });
    });
  });
}

/** Runs kcat and fails unless it exits with 0. */
export async function kcat(
  args: string[],
  options: { input?: string; timeoutMs?: number } = {},
): Promise<string> {
  const result = await runKcat(args, options);
  if (result.code !== 0) {
    throw new Error(`kcat ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
  }

  return result.stdout;
}

/** Parses `kcat -C -J` output. */
export function kcatMessages(stdout: string): KcatMessage[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as KcatMessage);
}

/** A kcat that keeps running (a group member), stopped with SIGTERM like an operator would. */
export interface RunningKcat {
  stdout(): string;
  stderr(): string;
  /** SIGTERM, then SIGKILL if it has not exited within `timeoutMs`. */
  stop(timeoutMs?: number): Promise<number | null>;
}

export function startKcat(args: string[]): RunningKcat {
  const child = spawn('kcat', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const output = collect(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', () => resolve(null));
  });

  return {
    ...output,
    stop: async (timeoutMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);

      return code;
    },
  };
}

/** The partitions a `kcat -G` member was last assigned, from its rebalance lines on stderr. */
export function lastAssignment(stderr: string, topic: string): number[] | null {
  const lines = stderr
    .split('\n')
    .filter((line) => / rebalanced .*: (assigned|revoked):/.test(line));
  const last = lines.at(-1);
  if (!last || last.includes('revoked:')) {
    return null;
  }
  const pattern = new RegExp(`${topic} \\[(\\d+)\\]`, 'g');

  return [...last.matchAll(pattern)].map((match) => Number(match[1])).sort((a, b) => a - b);
}

function collect(child: ChildProcess): { stdout(): string; stderr(): string } {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));

  return { stdout: () => stdout, stderr: () => stderr };
}
