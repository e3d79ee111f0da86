import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';

import { MetricsRegistry, ProcessMetrics } from '@relate/observability';

import { REPO_ROOT } from '../../../tools/start/src/start.config';
import { firstLine, stopChild } from './child-process';

/**
 * A process that does nothing but measure its own event-loop delay, as a service does, and
 * serve it on `<url>/ops/metrics`: beside services under load it tells how much of their delay
 * is the machine (processes waiting for a CPU, a stalled disk) rather than their own work.
 */
export interface DelayProbe {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

export async function startDelayProbe(): Promise<DelayProbe> {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', __filename], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const stop = () => stopChild(child);
  try {
    const port = Number(await firstLine(child, 'the delay probe'));

    return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

if (require.main === module) {
  // Dies with the bench, even one killed outright: its stdin closes with it.
  process.stdin.on('end', () => process.exit(0)).resume();
  process.on('SIGTERM', () => process.exit(0));
  const registry = new MetricsRegistry('relate.bench.probe');
  new ProcessMetrics(registry).start();
  const server = createServer((_request, response) => {
    void registry.collect().then((text) => response.end(text));
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
  });
}
