import { Agent, request } from 'node:http';

import { REGISTER_COMPANY_PATH, newCompany } from './company-commands';
import { paceOperations } from './paced-operations';

export interface CommandLoadOptions {
  /** The gateway's base URL (`stack.url('gateway')`). */
  gatewayUrl: string;
  apiKey: string;
  /** Commands started per second, on a fixed schedule whatever the answers take. */
  ratePerSecond: number;
  durationMs: number;
  /** Commands in flight at most; a command due while this many wait is skipped. Default 64. */
  maxInFlight?: number;
  /** Ends the load early. */
  signal?: AbortSignal;
  /** Called on each answer, as it arrives (e.g. to probe a read model for that company). */
  onAnswer?(answer: CommandAnswer): void;
}

/** One command's answer; times are `performance.now()` milliseconds. */
export interface CommandAnswer {
  companyId: string;
  /** The HTTP status; null when no answer came (the error says why). */
  status: number | null;
  error?: string;
  sentAt: number;
  answeredAt: number;
}

export interface CommandLoadResult {
  sent: number;
  acknowledged: number;
  /** Non-2xx answers and requests without an answer. */
  failed: number;
  /** Commands due while `maxInFlight` were waiting: the system did not keep up. */
  skipped: number;
  /** Acknowledged commands per second over the whole load. */
  achievedRate: number;
  /** Milliseconds from send to answer of every acknowledged command. */
  answerMs: number[];
}

const ANSWER_TIMEOUT_MS = 10_000;

/**
 * Registers companies through the gateway at a steady rate for a while (open loop: a command is
 * started when it is due, not when the previous one answered), the load of a busy sales team,
 * and tells how the system kept up. Keeps connections alive, as a real client would.
 */
export async function driveCommands(options: CommandLoadOptions): Promise<CommandLoadResult> {
  const maxInFlight = options.maxInFlight ?? 64;
  const agent = new Agent({ keepAlive: true, maxSockets: maxInFlight });
  const result: CommandLoadResult = {
    sent: 0,
    acknowledged: 0,
    failed: 0,
    skipped: 0,
    achievedRate: 0,
    answerMs: [],
  };
  const started = performance.now();
  try {
    const paced = await paceOperations(
      options.ratePerSecond,
      maxInFlight,
      (elapsedMs) => elapsedMs >= options.durationMs || options.signal?.aborted === true,
      () =>
        sendOne(options, agent).then((answer) => {
          settle(result, answer);
          options.onAnswer?.(answer);
        }),
    );
    result.sent = paced.started;
    result.skipped = paced.skipped;
  } finally {
    agent.destroy();
  }
  result.achievedRate = result.acknowledged / ((performance.now() - started) / 1000);

  return result;
}

function settle(result: CommandLoadResult, answer: CommandAnswer): void {
  if (answer.status !== null && answer.status >= 200 && answer.status < 300) {
    result.acknowledged += 1;
    result.answerMs.push(answer.answeredAt - answer.sentAt);
  } else {
    result.failed += 1;
  }
}

function sendOne(options: CommandLoadOptions, agent: Agent): Promise<CommandAnswer> {
  const company = newCompany();
  const body = JSON.stringify(company);
  const sentAt = performance.now();

  return new Promise((resolve) => {
    const answer = (status: number | null, error?: string) =>
      resolve({ companyId: company.id, status, error, sentAt, answeredAt: performance.now() });
    const call = request(
      `${options.gatewayUrl}${REGISTER_COMPANY_PATH}`,
      {
        method: 'POST',
        agent,
        timeout: ANSWER_TIMEOUT_MS,
        headers: {
          'x-api-key': options.apiKey,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        response.resume();
        response.on('end', () => answer(response.statusCode ?? null));
        response.on('error', (error) => answer(null, error.message));
      },
    );
    call.on('timeout', () => call.destroy(new Error('timeout')));
    call.on('error', (error) => answer(null, error.message));
    call.end(body);
  });
}
