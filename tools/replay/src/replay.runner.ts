import type { ReadModelStatus, RebuildStarted } from '@relate/service-kit';

export interface ReplayOptions {
  service: string;
  url: string;
  projections?: string[];
  /** Where progress lines go (the terminal, or a test's list). */
  write: (line: string) => void;
  /** Between two looks at the progress; default 500 ms. */
  pollMs?: number;
  /** Give up after this long; default 1 hour. */
  timeoutMs?: number;
  /** A progress line per rebuilding read model at most this often; default 5 s. */
  progressEveryMs?: number;
}

export interface RebuiltReadModel {
  name: string;
  appliedEvents: number;
  seconds: number;
}

export interface ReplayOutcome {
  rebuildId: string;
  readModels: RebuiltReadModel[];
  seconds: number;
}

/** A rebuild that could not start, failed, or was not seen to finish: the message says why. */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
}

/**
 * Asks a service to rebuild its read models (POST /ops/read-models/rebuild), then follows
 * GET /ops/read-models until every one of them is live again, writing each one's events
 * applied and seconds as it finishes.
 */
export async function replay(options: ReplayOptions): Promise<ReplayOutcome> {
  const startedAt = Date.now();
  const started = await startRebuild(options);
  options.write(
    `Rebuilding ${counted(started.projections.length, 'read model')} of ${options.service}: ` +
      `${started.projections.join(', ')} (rebuild ${started.rebuildId})`,
  );
  const done = new Map<string, RebuiltReadModel>();
  const lastProgress = new Map<string, number>();
  const deadline = startedAt + (options.timeoutMs ?? 3_600_000);
  while (done.size < started.projections.length) {
    if (Date.now() > deadline) {
      throw new ReplayError(`${options.service}: the rebuild did not finish in time`);
    }
    await sleep(options.pollMs ?? 500);
    for (const status of await readStatus(options, started)) {
      if (!done.has(status.name)) {
        followOne(options, started.rebuildId, status, done, lastProgress);
      }
    }
  }
  const readModels = started.projections.map((name) => done.get(name)!);
  const seconds = (Date.now() - startedAt) / 1000;
  const events = readModels.reduce((sum, { appliedEvents }) => sum + appliedEvents, 0);
  const rate = Math.round(events / Math.max(seconds, 0.001));
  options.write(
    `Rebuilt ${counted(readModels.length, 'read model')} of ${options.service} in ` +
      `${seconds.toFixed(1)} s (${counted(events, 'event')} applied, ${rate} events/s)`,
  );

  return { rebuildId: started.rebuildId, readModels, seconds };
}

/** "1 read model", "4 read models": a service with a single read model is common. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function followOne(
  options: ReplayOptions,
  rebuildId: string,
  status: ReadModelStatus,
  done: Map<string, RebuiltReadModel>,
  lastProgress: Map<string, number>,
): void {
  const { name, rebuild } = status;
  if (status.error !== null) {
    throw new ReplayError(`${options.service}: rebuilding ${name} failed: ${status.error}`);
  }
  if (rebuild?.id !== rebuildId) {
    throw new ReplayError(`${options.service}: another rebuild of ${name} replaced this one`);
  }
  const seconds = (rebuild.durationMs ?? 0) / 1000;
  if (status.status === 'live') {
    const rebuilt = { name, appliedEvents: status.appliedEvents, seconds };
    done.set(name, rebuilt);
    options.write(
      `  ${name}: ${counted(rebuilt.appliedEvents, 'event')} in ${seconds.toFixed(1)} s`,
    );

    return;
  }
  const now = Date.now();
  if (now - (lastProgress.get(name) ?? now) >= (options.progressEveryMs ?? 5_000)) {
    options.write(`  ${name}: ${status.appliedEvents}/${rebuild.targetEvents} events...`);
    lastProgress.set(name, now);
  }
  lastProgress.set(name, lastProgress.get(name) ?? now);
}

async function startRebuild(options: ReplayOptions): Promise<RebuildStarted> {
  const body = options.projections === undefined ? {} : { projections: options.projections };
  const response = await call(options, '/ops/read-models/rebuild', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 202) {
    throw new ReplayError(`${options.service} refused the rebuild: ${await describe(response)}`);
  }

  return (await response.json()) as RebuildStarted;
}

async function readStatus(
  options: ReplayOptions,
  started: RebuildStarted,
): Promise<ReadModelStatus[]> {
  const response = await call(options, '/ops/read-models', { method: 'GET' });
  if (response.status !== 200) {
    throw new ReplayError(`${options.service}: no rebuild status: ${await describe(response)}`);
  }
  const { readModels } = (await response.json()) as { readModels: ReadModelStatus[] };

  return readModels.filter(({ name }) => started.projections.includes(name));
}

async function call(options: ReplayOptions, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(`${options.url}${path}`, { ...init, signal: AbortSignal.timeout(30_000) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? String(error);
    throw new ReplayError(
      `${options.service} is not answering at ${options.url} (${cause}): ` +
        'start Relate with npm start first',
    );
  }
}

async function describe(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { message?: string };

    return `${response.status} ${body.message ?? text}`;
  } catch {
    return `${response.status} ${text}`;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
