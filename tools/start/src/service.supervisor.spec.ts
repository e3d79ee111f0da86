import { DEFAULT_RESTART, restartDelayMs, SupervisedProcess } from './service.supervisor';

const FAST_RESTART = { initialDelayMs: 100, maxDelayMs: 400, stableAfterMs: 60_000 };

function supervise(script: string, lines: string[], stopGraceMs = 2_000) {
  return new SupervisedProcess(
    { name: 'svc', command: process.execPath, args: ['-e', script], cwd: process.cwd(), env: {} },
    {
      prefix: 'svc | ',
      stdout: (text) => lines.push(...text.trimEnd().split('\n')),
      stderr: (text) => lines.push(...text.trimEnd().split('\n')),
      announce: (line) => lines.push(`! ${line}`),
      stopGraceMs,
      restart: FAST_RESTART,
    },
  );
}

async function until(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('restartDelayMs', () => {
  it('doubles from the initial delay up to the cap', () => {
    const delays = [1, 2, 3, 6, 7].map((n) => restartDelayMs(n, DEFAULT_RESTART));

    expect(delays).toEqual([1_000, 2_000, 4_000, 30_000, 30_000]);
  });
});

describe(SupervisedProcess.name, () => {
  it('prefixes the output of the child, stdout and stderr alike', async () => {
    const lines: string[] = [];
    const service = supervise(
      "console.log('hello'); console.error('oops'); setInterval(() => {}, 1000)",
      lines,
    );
    service.start();
    await until(() => lines.includes('svc | hello') && lines.includes('svc | oops'));
    await service.stop();

    expect(service.running).toBe(false);
  });

  it('gives the child an IPC channel that closes when the supervisor goes', async () => {
    const lines: string[] = [];
    const service = supervise(
      'console.log(typeof process.send); setInterval(() => {}, 1000)',
      lines,
    );
    service.start();
    await until(() => lines.includes('svc | function'));
    await service.stop();

    expect(service.running).toBe(false);
  });

  it('restarts a child that crashes, and says so', async () => {
    const lines: string[] = [];
    const service = supervise("console.log('up'); setTimeout(() => process.exit(3), 50)", lines);
    service.start();
    await until(() => lines.filter((line) => line === 'svc | up').length >= 3);
    await service.stop();

    expect(lines).toContain('! svc exited (code 3); restarting in 0.1 s');
    expect(lines).toContain('! svc exited (code 3); restarting in 0.2 s');
    expect(service.restarts).toBeGreaterThanOrEqual(2);
  });

  it('stops a child with SIGTERM and lets it finish its shutdown', async () => {
    const lines: string[] = [];
    const script = [
      "process.on('SIGTERM', () => {",
      "  console.log('closing');",
      '  setTimeout(() => process.exit(0), 50);',
      '});',
      "console.log('ready'); setInterval(() => {}, 1000);",
    ].join('\n');
    const service = supervise(script, lines);
    service.start();
    await until(() => lines.includes('svc | ready'));
    await service.stop();

    expect(lines).toContain('svc | closing');
    expect(lines.some((line) => line.includes('restarting'))).toBe(false);
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const lines: string[] = [];
    const script =
      "process.on('SIGTERM', () => {}); console.log('ready'); setInterval(() => {}, 1000)";
    const service = supervise(script, lines, 200);
    service.start();
    await until(() => lines.includes('svc | ready'));
    await service.stop();

    expect(lines).toContain('! svc did not stop within 0.2 s: killing it');
    expect(service.running).toBe(false);
  });
});
