import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');
const MAIN = join(ROOT, 'tools/broker/src/main.ts');

/** One JSON log line of the broker process. */
export interface BrokerLogLine {
  level: string;
  message: { msg: string } & Record<string, unknown>;
}

/** `npm run broker` as a child process, the way an operator runs it. */
export interface BrokerProcess {
  address: string;
  port: number;
  /** From spawn to its `broker listening` line. */
  startupMs: number;
  /** Every line it printed so far, parsed when it is JSON. */
  logLines(): BrokerLogLine[];
  /** Everything it printed, as text. */
  output(): string;
  /** SIGKILL: no clean stop, no flush, like a crash or an OOM kill. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts the broker on `port` (0: any) with its data in `dataDir`; JSON logs on stdout. */
export async function spawnBroker(
  dataDir: string,
  port: number,
  timeoutMs = 30_000,
): Promise<BrokerProcess> {
  const startedAt = Date.now();
  const child = spawn(process.execPath, ['-r', '@swc-node/register', MAIN], {
    cwd: ROOT,
    env: {
      ...process.env,
      BROKER_PORT: String(port),
      BROKER_DATA_DIR: dataDir,
      LOG_FORMAT: 'json',
      NO_COLOR: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const logLines = () => text.split('\n').flatMap(parseLine);

  const address = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`broker did not start within ${timeoutMs} ms:\n${text}`));
    }, timeoutMs);
    const poll = setInterval(() => {
      const listening = logLines().find((line) => line.message.msg === 'broker listening');
      if (listening || child.exitCode !== null) {
        clearTimeout(timer);
        clearInterval(poll);
        if (listening) {
          done(String(listening.message.address));
        } else {
          fail(new Error(`broker exited with ${child.exitCode} while starting:\n${text}`));
        }
      }
    }, 20);
  });

  return {
    address,
    port: Number(address.split(':')[1]),
    startupMs: Date.now() - startedAt,
    logLines,
    output: () => text,
    kill9: () => signalAndWait(child, 'SIGKILL', exited),
    stop: () => signalAndWait(child, 'SIGTERM', exited),
  };
}

async function signalAndWait(
  child: ChildProcess,
  signal: NodeJS.Signals,
  exited: Promise<void>,
): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill(signal);
  }
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

function parseLine(line: string): BrokerLogLine[] {
  if (!line.startsWith('{')) {
    return [];
  }
  try {
    const parsed = JSON.parse(line) as BrokerLogLine;

    return typeof parsed.message?.msg === 'string' ? [parsed] : [];
  } catch {
    return [];
  }
}
