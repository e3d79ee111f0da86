import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';
import { CommandDriver, CommandKind } from '../../../tools/chaos/src/support/command-driver';
import { paceOperations } from './paced-operations';

/** Commands in the order a sales team sends them: every kind the services own. */
const COMMANDS: readonly CommandKind[] = [
  'company',
  'person',
  'deal',
  'move',
  'activity',
  'move',
  'task',
];

/** Reads between the commands: lists, a report, a contact's timeline (each service's side). */
const READS: ReadonlyArray<(person: string | undefined) => string> = [
  () => '/deals?limit=20',
  () => '/companies?limit=20',
  () => '/reports/forecast',
  (person) => (person === undefined ? '/tasks?limit=20' : `/people/${person}/timeline`),
  () => '/tasks?limit=20',
];

export interface SoakCounts {
  /** Operations started: commands and reads, one of each in turn. */
  sent: number;
  /** 2xx answers. */
  answered: number;
  /** Other answers and calls without one. */
  failed: number;
  /** Operations due while `maxInFlight` were waiting: the system did not keep up. */
  skipped: number;
  /** The failed ones by what failed and how: `POST /deals rejected CODE`, `GET /x 404`. */
  failures: Record<string, number>;
}

/**
 * A mixed load through the gateway: a command (company, person, deal, stage move, activity,
 * task, through the chaos tool's command driver) and a read (deal and company lists, the
 * forecast report, a person's timeline, tasks) in turn. `capacity` measures how many of those
 * operations a second the system sustains with 16 in flight; `start` sends them at a fixed rate
 * (open loop: an operation starts when due, not when the previous one answered) until `stop`.
 */
export class SoakLoad {
  private counts = noCounts();
  private readonly driver: CommandDriver;
  private turn = 0;
  private running?: Promise<void>;
  private stopping = false;

  constructor(private readonly stack: ChaosStack) {
    this.driver = new CommandDriver(stack.gateway, stack.tenantId, { timeoutMs: 10_000 });
  }

  /** Creates the pipeline the deals go through; throws unless the system takes commands. */
  prepare(): Promise<void> {
    return this.driver.prepare();
  }

  /** Operations a second with 16 in flight for `durationMs` (closed loop). */
  async capacity(durationMs: number): Promise<number> {
    this.counts = noCounts();
    const started = performance.now();
    const worker = async () => {
      while (performance.now() - started < durationMs) await this.operate();
    };
    await Promise.all(Array.from({ length: 16 }, worker));

    return this.counts.answered / ((performance.now() - started) / 1000);
  }

  /** Starts the steady load; `stop` answers what it did (the probe's operations not counted). */
  start(ratePerSecond: number, maxInFlight = 64): void {
    this.counts = noCounts();
    this.stopping = false;
    this.running = this.schedule(ratePerSecond, maxInFlight);
  }

  /** Stops starting operations and waits for those in flight (each bounded by its timeout). */
  async stop(): Promise<SoakCounts> {
    this.stopping = true;
    await this.running;

    return { ...this.counts };
  }

  private async schedule(ratePerSecond: number, maxInFlight: number): Promise<void> {
    const paced = await paceOperations(
      ratePerSecond,
      maxInFlight,
      () => this.stopping,
      () => this.operate(),
    );
    this.counts.skipped += paced.skipped;
  }

  /** One command or one read, in turn; never throws (a failure is counted). */
  private async operate(): Promise<void> {
    const turn = (this.turn += 1);
    this.counts.sent += 1;
    const failure = turn % 2 === 0 ? await this.command(turn / 2) : await this.read((turn - 1) / 2);
    if (failure === undefined) {
      this.counts.answered += 1;
    } else {
      this.counts.failed += 1;
      this.counts.failures[failure] = (this.counts.failures[failure] ?? 0) + 1;
    }
  }

  /** Sends the command; answers what failed, or undefined when it was acknowledged. */
  private async command(index: number): Promise<string | undefined> {
    const record = await this.driver.send(COMMANDS[index % COMMANDS.length]);
    // The driver's memory of what it sent is the bench's, not the services': keep it bounded.
    this.driver.records.splice(0, this.driver.records.length - 1_000);

    return record.outcome === 'acknowledged'
      ? undefined
      : `${record.kind}: ${record.outcome} ${record.status ?? ''} ${record.error ?? ''}`.trim();
  }

  private async read(index: number): Promise<string | undefined> {
    const path = READS[index % READS.length](this.person());
    const answer = await this.stack.gateway.get(path, { timeoutMs: 10_000 });
    if (answer.status !== null && answer.status >= 200 && answer.status < 300) return undefined;
    const code = (answer.body as { code?: string } | undefined)?.code ?? answer.error ?? '';

    return `GET ${path.replace(/[0-9a-f-]{36}/g, ':id')}: ${answer.status ?? ''} ${code}`.trim();
  }

  /** A person some acknowledged command created, if any is still among the kept records. */
  private person(): string | undefined {
    const people = this.driver.records.filter(
      (record) => record.kind === 'person' && record.outcome === 'acknowledged',
    );

    return people[Math.floor(Math.random() * people.length)]?.entityId;
  }
}

function noCounts(): SoakCounts {
  return { sent: 0, answered: 0, failed: 0, skipped: 0, failures: {} };
}
