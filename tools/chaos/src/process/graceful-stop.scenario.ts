import { randomUUID } from 'node:crypto';

import { BackendService } from '@relate/config';
import { Topics } from '@relate/contracts';
import type { ReadModelStatus } from '@relate/service-kit';

import { ChaosFigures } from '../chaos-figures';
import { ChaosScale, ChaosScenario } from '../chaos-scenario';
import { ChaosStack, sleep } from '../support/chaos-stack';
import { GatewayAnswer } from '../support/gateway-client';
import { compareWithRebuild, RebuildComparison, settle } from '../support/read-model-check';
import { ConsumerOfService, ledgerOfStoppedService, StopLedger } from './graceful-stop.offsets';

type Target = BackendService | 'gateway';

interface StopPlan {
  /** The services stopped, one after another, each restarted before the next. */
  targets: Target[];
  /** Clients sending at once. */
  clients: number;
  /** Load before the SIGTERM, in ms; it goes on until the service has exited. */
  loadMs: number;
}

const PLANS: Record<ChaosScale, StopPlan> = {
  short: { targets: ['pipeline', 'gateway'], clients: 24, loadMs: 1_500 },
  full: {
    targets: ['pipeline', 'contacts', 'activities', 'automation', 'reporting', 'gateway'],
    clients: 32,
    loadMs: 3_000,
  },
};

/** A service must have exited by itself within this, as its own bound (10 s) promises. */
export const STOP_BOUND_SECONDS = 10;

/** One request of the load, and what became of it. */
interface Sent {
  kind: 'write' | 'read';
  target: Target;
  /** For a write: the event store it goes to, and the correlation id its events carry. */
  store?: BackendService;
  correlationId: string;
  sentAt: number;
  answeredAt: number;
  answer: GatewayAnswer;
}

/** What one SIGTERM did. */
export interface StopRound {
  target: Target;
  /** Requests sent before the SIGTERM and not yet answered when it came. */
  inFlight: number;
  /** Of those, how many got an answer (any status). */
  answered: number;
  /** Requests sent after the SIGTERM until it exited. */
  duringStop: number;
  /** Of those, how many got no answer but a reset (not a refused connection, not a 503). */
  resetDuringStop: number;
  stopSeconds: number;
  /** Whether it logged its own clean stop (exit 0) rather than being killed. */
  exitedByItself: boolean;
  ledger: StopLedger | null;
}

export interface GracefulStopFigures extends ChaosFigures {
  rounds: StopRound[];
  /** Writes answered 2xx whose events are missing, summed over the rounds. */
  acknowledgedMissing: number;
  /** Writes with no answer or a non-2xx answer whose events are stored anyway. */
  storedWithoutAcknowledgement: number;
  /**
   * Requests sent before a SIGTERM that got no answer at all: a reset of a kept-alive connection
   * the stopping server closed as the request went out (not accepted: a write stored nothing,
   * else it counts in `storedWithoutAcknowledgement`). Only a stopping gateway can cause one;
   * the gateway answers its own clients 503 for a service that stops.
   */
  unanswered: number;
  /** Consistency reads of an acknowledged write that came back without it (404). */
  staleReads: number;
  rebuild: RebuildComparison;
}

export interface GracefulStopScenario extends ChaosScenario {
  run(scale: ChaosScale): Promise<GracefulStopFigures>;
}

/**
 * Scenario 9: with many requests in flight through the gateway (writes, and reads that wait for
 * a projection to show the write they follow), one service after another gets SIGTERM. Every
 * request sent before it gets an answer; a 2xx write is stored, any other answer stored nothing;
 * requests sent while it stops get a clean refusal (a 503 from the gateway, or a refused
 * connection from a stopping gateway); its projections and reactors commit exactly what they
 * applied (nothing to redeliver, nothing skipped); its relay's checkpoint covers only events on
 * the topic; it exits by itself within {@link STOP_BOUND_SECONDS}. After its restart everything
 * settles and every read model equals a from-scratch rebuild.
 */
export const gracefulStopScenario: GracefulStopScenario = {
  id: 9,
  name: 'graceful stop',
  run: (scale) => runGracefulStop(PLANS[scale]),
};

async function runGracefulStop(plan: StopPlan): Promise<GracefulStopFigures> {
  // The supervisor's SIGKILL comes only well after the services' own bound.
  const stack = await ChaosStack.start({ label: 'chaoskill-graceful', stopGraceMs: 20_000 });
  try {
    const fixture = await prepare(stack);
    const all: Sent[] = [];
    const rounds: StopRound[] = [];
    for (const target of plan.targets) {
      rounds.push(await stopOnce(stack, fixture, plan, target, all));
    }
    await settle(stack, 90_000);
    const audit = await auditWrites(stack, all);
    const rebuild = await compareWithRebuild(stack, 120_000);
    const unanswered = rounds.reduce((sum, r) => sum + r.inFlight - r.answered, 0);
    const ledgers = rounds.flatMap(({ ledger }) => (ledger === null ? [] : [ledger]));
    const lostInConsumers = ledgers.reduce(
      (sum, l) => sum + l.committedNotApplied + l.relayedNotOnTopic,
      0,
    );
    const redelivered = ledgers.reduce((sum, l) => sum + l.appliedNotCommitted, 0);
    const slowest = Math.max(...rounds.map((r) => r.stopSeconds));

    return {
      scenario: 9,
      name: 'graceful stop',
      acknowledged: audit.acknowledged,
      expectedEvents: audit.acknowledged,
      foundEvents: audit.acknowledged - audit.missing,
      // A write stored without a 2xx is an answer lost after its work was done.
      lost:
        audit.missing + audit.storedWithoutAcknowledgement + lostInConsumers + rebuild.onlyRebuilt,
      appliedTwice: rebuild.onlyLive,
      recoverySeconds: slowest,
      detail: [
        ...rounds.map(
          (r) =>
            `${r.target}: ${r.answered}/${r.inFlight} in flight answered, ` +
            `${r.duringStop} sent while stopping (${r.resetDuringStop} reset), ` +
            `stopped in ${r.stopSeconds.toFixed(1)} s` +
            (r.exitedByItself ? '' : ' (KILLED)') +
            (r.ledger === null
              ? ''
              : `, ${r.ledger.consumers} consumers: ${r.ledger.committedNotApplied} ` +
                `committed unapplied, ${r.ledger.appliedNotCommitted} to redeliver, ` +
                `${r.ledger.relayedNotOnTopic} relayed not on topic, ` +
                `${r.ledger.waitingInOutbox} left in outbox`),
        ),
        `${audit.storedWithoutAcknowledgement} stored without 2xx, ${audit.staleReads} stale reads`,
        `${redelivered} redelivered; rebuild: ${rebuild.tables} tables, ${rebuild.rows} rows, ` +
          `${rebuild.differing.length} differ`,
        'recovery s = slowest stop',
      ].join('; '),
      rounds,
      acknowledgedMissing: audit.missing,
      storedWithoutAcknowledgement: audit.storedWithoutAcknowledgement,
      unanswered,
      staleReads: audit.staleReads,
      rebuild,
    };
  } catch (error) {
    throw stack.failure(error, 'scenario 9 (graceful stop)');
  } finally {
    await stack.stop();
  }
}

interface Fixture {
  pipelineId: string;
  stageId: string;
}

async function prepare(stack: ChaosStack): Promise<Fixture> {
  const pipelineId = randomUUID();
  const stageId = randomUUID();
  const answer = await stack.gateway.post('/pipelines', {
    id: pipelineId,
    name: 'Graceful',
    stages: [
      { id: stageId, name: 'Lead', kind: 'open' },
      { id: randomUUID(), name: 'Won', kind: 'won' },
      { id: randomUUID(), name: 'Lost', kind: 'lost' },
    ],
  });
  if (answer.status !== 201) {
    throw new Error(`no pipeline: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  return { pipelineId, stageId };
}

/** A write the load sends for a target, and the read that waits for it. */
interface Step {
  store: BackendService;
  path: string;
  body: Record<string, unknown>;
  /** The read that follows an acknowledged write: waits for the read model to show it. */
  read?: (id: string, token: string) => string;
}

function stepFor(target: Target, fixture: Fixture, n: number): Step {
  const id = randomUUID();
  const company: Step = {
    store: 'contacts',
    path: '/companies',
    body: { id, name: `Graceful company ${n}` },
    read: (entity, token) => `/companies/${entity}?consistency=${token}`,
  };
  const deal = (read: Step['read']): Step => ({
    store: 'pipeline',
    path: '/deals',
    body: {
      id,
      title: `Graceful deal ${n}`,
      pipelineId: fixture.pipelineId,
      stageId: fixture.stageId,
      value: 100 + n,
    },
    read,
  });
  switch (target) {
    case 'contacts':
    case 'gateway':
      return company;
    case 'pipeline':
      return deal((entity, token) => `/deals/${entity}?consistency=${token}`);
    case 'reporting':
      return deal((_entity, token) => `/reports/win-rate?consistency=${token}`);
    case 'activities':
      return {
        store: 'activities',
        path: '/activities',
        body: {
          id,
          kind: 'call',
          occurredAt: new Date().toISOString(),
          direction: 'outbound',
          outcome: 'connected',
          durationMinutes: 3,
          subject: `Graceful call ${n}`,
        },
        read: (entity, token) => `/activities/${entity}?consistency=${token}`,
      };
    case 'automation':
      return {
        store: 'automation',
        path: '/email-templates',
        body: { id, name: `Graceful ${n}`, subject: 'Hello', body: 'Graceful body' },
        read: (entity) => `/email-templates/${entity}`,
      };
  }
}

async function stopOnce(
  stack: ChaosStack,
  fixture: Fixture,
  plan: StopPlan,
  target: Target,
  all: Sent[],
): Promise<StopRound> {
  const consumers = target === 'gateway' ? [] : await consumersOf(stack, target);
  const sent: Sent[] = [];
  let running = true;
  let n = 0;
  const send = async (kind: Sent['kind'], path: string, body: unknown, store?: BackendService) => {
    const correlationId = `graceful-${randomUUID()}`;
    const sentAt = Date.now();
    const answer =
      body === undefined
        ? await stack.gateway.get(path, { correlationId, timeoutMs: 20_000 })
        : await stack.gateway.post(path, body, { correlationId, timeoutMs: 20_000 });
    const record: Sent = {
      kind,
      target,
      store,
      correlationId,
      sentAt,
      answeredAt: Date.now(),
      answer,
    };
    sent.push(record);

    return record;
  };
  const client = async () => {
    while (running) {
      const step = stepFor(target, fixture, (n += 1));
      const write = await send('write', step.path, step.body, step.store);
      const result = write.answer.body as { id?: string; consistencyToken?: string } | undefined;
      if (write.answer.status === 201 && step.read && result?.consistencyToken) {
        await send('read', step.read(String(result.id), result.consistencyToken), undefined);
      }
      if (write.answer.status === null || write.answer.status >= 500) await sleep(100);
    }
  };
  const clients = Array.from({ length: plan.clients }, client);
  await sleep(plan.loadMs);
  const stopAt = Date.now();
  await stack.stopInstance(target);
  const exitedAt = Date.now();
  // A little more load against the stopped service: refused, never half done.
  await sleep(300);
  running = false;
  await Promise.all(clients);
  all.push(...sent);

  const ledger =
    target === 'gateway'
      ? null
      : await ledgerOfStoppedService(stack, target, consumers, ownTopic(target));
  const stopLine = stack.logs.grep(/ stopped reason=SIGTERM/, target).length > 0;
  const killed = stack.logs.grep(new RegExp(`${target} did not stop within`), 'stack').length > 0;
  stack.startInstance(target);
  await stack.waitHealthy([target], 90_000);

  const inFlight = sent.filter((s) => s.sentAt < stopAt && s.answeredAt >= stopAt);
  const duringStop = sent.filter((s) => s.sentAt >= stopAt && s.sentAt < exitedAt);

  return {
    target,
    inFlight: inFlight.length,
    answered: inFlight.filter((s) => s.answer.status !== null).length,
    duringStop: duringStop.length,
    resetDuringStop: duringStop.filter(
      (s) => s.answer.status === null && s.answer.error !== 'ECONNREFUSED',
    ).length,
    stopSeconds: (exitedAt - stopAt) / 1000,
    exitedByItself: stopLine && !killed,
    ledger,
  };
}

async function consumersOf(
  stack: ChaosStack,
  service: BackendService,
): Promise<ConsumerOfService[]> {
  const response = await fetch(`${stack.url(service)}/ops/read-models`);
  const { readModels } = (await response.json()) as { readModels: ReadModelStatus[] };

  return readModels.map(({ name, group }) => ({ name, group }));
}

function ownTopic(service: BackendService): string | undefined {
  return service === 'reporting' ? undefined : Topics[service];
}

interface WriteAudit {
  acknowledged: number;
  missing: number;
  storedWithoutAcknowledgement: number;
  staleReads: number;
}

/** Each write against its event store (by correlation id); each read against its write. */
async function auditWrites(stack: ChaosStack, sent: Sent[]): Promise<WriteAudit> {
  const audit: WriteAudit = {
    acknowledged: 0,
    missing: 0,
    storedWithoutAcknowledgement: 0,
    staleReads: 0,
  };
  const writes = sent.filter((s) => s.kind === 'write');
  const stored = new Set<string>();
  for (const store of new Set(writes.map((w) => w.store as BackendService))) {
    const ids = writes.filter((w) => w.store === store).map((w) => w.correlationId);
    const rows = await stack.sql<{ correlation_id: string }>(
      `SELECT DISTINCT correlation_id FROM "${store}".events WHERE correlation_id = ANY($1)`,
      [ids],
    );
    for (const row of rows) stored.add(row.correlation_id);
  }
  for (const write of writes) {
    const ok = write.answer.status !== null && write.answer.status < 300;
    if (ok) audit.acknowledged += 1;
    if (ok && !stored.has(write.correlationId)) audit.missing += 1;
    if (!ok && stored.has(write.correlationId)) audit.storedWithoutAcknowledgement += 1;
  }
  audit.staleReads = sent.filter((s) => s.kind === 'read' && s.answer.status === 404).length;

  return audit;
}
