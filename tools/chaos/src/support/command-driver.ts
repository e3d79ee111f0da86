import { randomUUID } from 'node:crypto';

import { BackendService } from '@relate/config';
import {
  activityStreamId,
  companyStreamId,
  dealStreamId,
  personStreamId,
  taskStreamId,
} from '@relate/contracts';

import { GatewayAnswer, GatewayClient } from './gateway-client';

export type CommandKind = 'company' | 'person' | 'deal' | 'move' | 'activity' | 'task';

/**
 * How a command ended, as its client saw it. `unknown`: no answer came (refused, reset, timed
 * out) or the gateway could not reach the service: it may have been carried out or not.
 */
export type CommandOutcome = 'acknowledged' | 'rejected' | 'failed' | 'unknown';

export interface CommandRecord {
  seq: number;
  kind: CommandKind;
  /** Sent as `x-correlation-id`; every event the command stored carries it. */
  correlationId: string;
  /** The service whose event store the command writes to. */
  service: BackendService;
  entityId: string;
  streamId: string;
  /** The stream's version before the command (0 for a create, If-Match for a move). */
  fromVersion: number;
  /** The version the answer gave (acknowledged only). */
  version?: number;
  sentAt: number;
  /** When the answer (or the lack of one) was known; undefined while in flight. */
  answeredAt?: number;
  ms: number;
  status: number | null;
  /** The error code of the answer, or why none came. */
  error?: string;
  outcome: CommandOutcome;
}

export interface DriverOptions {
  /** Commands in flight at once; default 4. */
  concurrency?: number;
  /** Pause of each worker between two commands; default 20 ms. */
  pauseMs?: number;
  /** A command without an answer after this long is `unknown`; default 10 s. */
  timeoutMs?: number;
}

interface Deal {
  id: string;
  version: number;
  stage: number;
  busy: boolean;
}

const OPEN_STAGES = ['Lead', 'Qualified', 'Demo', 'Proposal'];
const CYCLE: CommandKind[] = ['company', 'person', 'deal', 'move', 'activity', 'move', 'task'];

/**
 * A steady stream of commands through the gateway, as a sales team would send them: companies,
 * people at them, deals for them moved from stage to stage, calls logged and tasks created. Each
 * command carries ids chosen here and a correlation id of its own, so that what it stored can be
 * looked up whatever answer came back; every answer is recorded.
 */
export class CommandDriver {
  readonly records: CommandRecord[] = [];
  private readonly options: Required<DriverOptions>;
  private readonly companies: string[] = [];
  private readonly people: string[] = [];
  private readonly deals: Deal[] = [];
  private pipelineId = '';
  private stageIds: string[] = [];
  private seq = 0;
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly gateway: GatewayClient,
    private readonly tenantId: string,
    options: DriverOptions = {},
  ) {
    this.options = {
      concurrency: options.concurrency ?? 4,
      pauseMs: options.pauseMs ?? 20,
      timeoutMs: options.timeoutMs ?? 10_000,
    };
  }

  /** The pipeline the deals go through, and a first company; throws unless both are created. */
  async prepare(): Promise<void> {
    this.pipelineId = randomUUID();
    this.stageIds = OPEN_STAGES.map(() => randomUUID());
    const stages = [
      ...OPEN_STAGES.map((name, index) => ({ id: this.stageIds[index], name, kind: 'open' })),
      { id: randomUUID(), name: 'Won', kind: 'won' },
      { id: randomUUID(), name: 'Lost', kind: 'lost' },
    ];
    const pipeline = await this.gateway.post('/pipelines', {
      id: this.pipelineId,
      name: `Chaos ${this.pipelineId.slice(0, 8)}`,
      stages,
    });
    if (pipeline.status !== 201) throw new Error(`no pipeline: ${describe(pipeline)}`);
    const company = await this.send('company');
    if (company.outcome !== 'acknowledged') throw new Error(`no company: ${company.error}`);
  }

  /** Starts the workers; commands flow until `stop`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.workers = Array.from({ length: this.options.concurrency }, (_, worker) =>
      this.work(worker),
    );
  }

  /** Stops sending and waits for the commands in flight (each is bounded by its timeout). */
  async stop(): Promise<CommandRecord[]> {
    this.running = false;
    await Promise.all(this.workers);

    return this.records;
  }

  /** Sends one command of the kind now, and records it. */
  async send(kind: CommandKind): Promise<CommandRecord> {
    const command = this.build(kind);
    const record: CommandRecord = {
      seq: (this.seq += 1),
      kind: command.kind,
      correlationId: `chaos-${this.seq}-${randomUUID().slice(0, 8)}`,
      service: command.service,
      entityId: command.entityId,
      streamId: command.streamId,
      fromVersion: command.fromVersion,
      sentAt: Date.now(),
      ms: 0,
      status: null,
      outcome: 'unknown',
    };
    this.records.push(record);
    const answer = await this.gateway.post(command.path, command.body, {
      ifMatch: command.kind === 'move' ? command.fromVersion : undefined,
      correlationId: record.correlationId,
      timeoutMs: this.options.timeoutMs,
    });
    Object.assign(record, judge(answer), { answeredAt: Date.now() });
    command.settle(record);

    return record;
  }

  /** Resolves once every command sent before `moment` has its answer (each is bounded). */
  async answered(moment: number): Promise<void> {
    const deadline = Date.now() + this.options.timeoutMs + 5_000;
    const inFlight = () => this.records.some((r) => r.sentAt < moment && !r.answeredAt);
    while (inFlight() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Records so far by outcome. */
  counts(): Record<CommandOutcome, number> {
    const counts = { acknowledged: 0, rejected: 0, failed: 0, unknown: 0 };
    for (const record of this.records) counts[record.outcome] += 1;

    return counts;
  }

  private async work(worker: number): Promise<void> {
    for (let turn = worker; this.running; turn += 1) {
      await this.send(CYCLE[turn % CYCLE.length]);
      await new Promise((resolve) => setTimeout(resolve, this.options.pauseMs));
    }
  }

  private build(kind: CommandKind): Command {
    const id = randomUUID();
    const tenant = this.tenantId;
    const company = pick(this.companies);
    const person = pick(this.people);
    const deal = pick(this.deals.filter((d) => !d.busy));
    switch (kind) {
      case 'company':
        return this.create(kind, 'contacts', id, companyStreamId(tenant, id), '/companies', {
          id,
          name: `Chaos company ${this.seq + 1}`,
        });
      case 'person':
        return this.create(kind, 'contacts', id, personStreamId(tenant, id), '/people', {
          id,
          firstName: 'Chaos',
          lastName: `Person ${this.seq + 1}`,
          companyId: company,
        });
      case 'deal':
        return this.create(kind, 'pipeline', id, dealStreamId(tenant, id), '/deals', {
          id,
          title: `Chaos deal ${this.seq + 1}`,
          pipelineId: this.pipelineId,
          stageId: this.stageIds[0],
          companyId: company,
          personId: person,
          value: 1000 + this.seq,
        });
      case 'move':
        return deal === undefined ? this.build('deal') : this.move(deal);
      case 'activity':
        return this.create(kind, 'activities', id, activityStreamId(tenant, id), '/activities', {
          id,
          kind: 'call',
          occurredAt: new Date().toISOString(),
          direction: 'outbound',
          outcome: 'connected',
          durationMinutes: 5,
          personId: person,
          dealId: deal?.id,
          subject: `Chaos call ${this.seq + 1}`,
        });
      case 'task':
        return this.create(kind, 'activities', id, taskStreamId(tenant, id), '/tasks', {
          id,
          title: `Chaos task ${this.seq + 1}`,
          dueAt: '2031-01-15T16:00:00Z',
          dealId: deal?.id,
          personId: person,
        });
    }
  }

  private create(
    kind: CommandKind,
    service: BackendService,
    entityId: string,
    streamId: string,
    path: string,
    body: Record<string, unknown>,
  ): Command {
    return {
      kind,
      service,
      entityId,
      streamId,
      fromVersion: 0,
      path,
      body,
      settle: (record) => {
        if (record.outcome !== 'acknowledged') return;
        if (kind === 'company') this.companies.push(entityId);
        if (kind === 'person') this.people.push(entityId);
        if (kind === 'deal') {
          this.deals.push({ id: entityId, version: record.version ?? 1, stage: 0, busy: false });
        }
      },
    };
  }

  private move(deal: Deal): Command {
    deal.busy = true;
    const stage = (deal.stage + 1) % this.stageIds.length;

    return {
      kind: 'move',
      service: 'pipeline',
      entityId: deal.id,
      streamId: dealStreamId(this.tenantId, deal.id),
      fromVersion: deal.version,
      path: `/deals/${deal.id}/stage`,
      body: { stageId: this.stageIds[stage] },
      settle: (record) => {
        if (record.outcome === 'acknowledged' && record.version !== undefined) {
          deal.version = record.version;
          deal.stage = stage;
          deal.busy = false;
        }
        // Otherwise its version is no longer known for sure: the deal moves no more.
      },
    };
  }
}

interface Command {
  kind: CommandKind;
  service: BackendService;
  entityId: string;
  streamId: string;
  fromVersion: number;
  path: string;
  body: Record<string, unknown>;
  settle(record: CommandRecord): void;
}

/** The outcome an answer means. */
export function judge(answer: GatewayAnswer): Partial<CommandRecord> {
  const body = (answer.body ?? {}) as { version?: number; code?: string };
  const common = { status: answer.status, ms: answer.ms };
  if (answer.status === null) return { ...common, outcome: 'unknown', error: answer.error };
  if (answer.status >= 200 && answer.status < 300) {
    return { ...common, outcome: 'acknowledged', version: body.version };
  }
  if (answer.status < 500) return { ...common, outcome: 'rejected', error: body.code };
  // The service took the request and its answer was lost, or it lost its database during the
  // write: it may have been stored. GATEWAY.SERVICE_UNAVAILABLE says the service was never
  // reached, so it counts as failed and is checked to be absent.
  const lostInTransit =
    body.code === 'GATEWAY.OUTCOME_UNKNOWN' ||
    body.code === 'EVENT_STORE.OUTCOME_UNKNOWN' ||
    answer.status === 504;

  return { ...common, outcome: lostInTransit ? 'unknown' : 'failed', error: body.code };
}

function pick<T>(items: T[]): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(Math.random() * items.length)];
}

function describe(answer: GatewayAnswer): string {
  return answer.status === null
    ? String(answer.error)
    : `${answer.status} ${JSON.stringify(answer.body)}`;
}
