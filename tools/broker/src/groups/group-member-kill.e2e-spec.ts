import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Admin, Producer } from 'kafkajs';

import { BrokerFixture, randomName, waitUntil } from '../testing/broker-fixture';
import { KafkaClients, startKafkaClients } from '../testing/kafka-clients';

const ROOT = resolve(__dirname, '../../../..');
const MEMBER = join(__dirname, '../testing/group-member.process.ts');

interface MemberLine {
  event: 'assigned' | 'message' | 'failed';
  partitions?: number[];
  partition?: number;
  value?: string;
}

/** A group member in a child process: what it printed, and ways to end it. */
class MemberProcess {
  private text = '';
  private readonly exited: Promise<void>;

  constructor(private readonly child: ChildProcess) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.text += chunk));
    this.exited = new Promise((done) => child.once('exit', () => done()));
  }

  static start(brokers: string, topic: string, groupId: string): MemberProcess {
    return new MemberProcess(
      spawn(process.execPath, ['-r', '@swc-node/register', MEMBER], {
        cwd: ROOT,
        env: { ...process.env, BROKERS: brokers, TOPIC: topic, GROUP_ID: groupId },
        stdio: ['ignore', 'pipe', 'inherit'],
      }),
    );
  }

  lines(): MemberLine[] {
    return this.text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as MemberLine);
  }

  assignment(): number[] | undefined {
    const last = this.lines()
      .filter((line) => line.event === 'assigned')
      .at(-1);

    return last?.partitions ? [...last.partitions].sort() : undefined;
  }

  async end(signal: NodeJS.Signals): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill(signal);
    }
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await this.exited;
    clearTimeout(timer);
  }
}

describe('a consumer group whose members are real processes', () => {
  let clients: KafkaClients;
  let fixture: BrokerFixture;
  let admin: Admin;
  let producer: Producer;
  const processes: MemberProcess[] = [];

  beforeAll(async () => {
    clients = await startKafkaClients();
    ({ fixture, admin, producer } = clients);
  });

  afterAll(async () => {
    await Promise.all(processes.map((member) => member.end('SIGKILL')));
    await clients.stop();
  });

  it('rebalances on join, on kill -9 after the session timeout, and on leave', async () => {
    const topic = randomName('kill-member');
    const groupId = randomName('group');
    await admin.createTopics({ topics: [{ topic, numPartitions: 4 }] });
    const produce = (prefix: string, count: number) =>
      producer.send({
        topic,
        messages: Array.from({ length: count }, (_, i) => ({
          partition: i % 4,
          value: `${prefix}-${i}`,
        })),
      });
    let survivorAssignment: number[] = [];
    const survivorValues: string[] = [];
    const survivor = clients.consumer(groupId, { sessionTimeout: 6_000, heartbeatInterval: 300 });
    survivor.on(survivor.events.GROUP_JOIN, ({ payload }) => {
      survivorAssignment = [...(payload.memberAssignment[topic] ?? [])].sort();
    });
    await survivor.connect();
    await survivor.subscribe({ topic, fromBeginning: true });
    await survivor.run({
      eachMessage: async ({ message }) => void survivorValues.push(String(message.value)),
    });
    await waitUntil(() => survivorAssignment.length === 4, 20_000, 'the survivor alone');

    // Join: a second member, in its own process, takes half of the partitions.
    const doomed = MemberProcess.start(fixture.broker.address, topic, groupId);
    processes.push(doomed);
    await waitUntil(
      () => doomed.assignment()?.length === 2 && survivorAssignment.length === 2,
      30_000,
      'a two-way split after the join',
    );
    expect([...survivorAssignment, ...doomed.assignment()!].sort()).toEqual([0, 1, 2, 3]);
    await produce('before', 20);
    await waitUntil(
      () => doomed.lines().filter((l) => l.event === 'message').length >= 10,
      15_000,
      'the second member to consume its half',
    );
    const doomedPartitions = new Set(
      doomed
        .lines()
        .filter((l) => l.event === 'message')
        .map((l) => l.partition),
    );
    expect([...doomedPartitions].sort()).toEqual(doomed.assignment());

    // kill -9: no LeaveGroup; only the missing heartbeats tell the broker.
    const killedAt = Date.now();
    await doomed.end('SIGKILL');
    await waitUntil(() => survivorAssignment.length === 4, 30_000, 'the survivor to take all');
    const takeoverMs = Date.now() - killedAt;
    expect(fixture.logger.messages('log')).toContain('group member expired');
    await produce('after', 40);
    const expected = Array.from({ length: 40 }, (_, i) => `after-${i}`);
    await waitUntil(
      () => expected.every((value) => survivorValues.includes(value)),
      15_000,
      'everything produced after the kill',
    );

    // Graceful leave: a member stopped with SIGTERM sends LeaveGroup; no session wait.
    const polite = MemberProcess.start(fixture.broker.address, topic, groupId);
    processes.push(polite);
    await waitUntil(() => polite.assignment()?.length === 2, 30_000, 'a split with a third');
    const leftAt = Date.now();
    await polite.end('SIGTERM');
    await waitUntil(() => survivorAssignment.length === 4, 30_000, 'the survivor after a leave');
    const leaveMs = Date.now() - leftAt;
    expect(fixture.logger.messages('log')).toContain('group member left');
    console.log(
      `group member kill -9: takeover after ${takeoverMs} ms (session timeout 6000 ms); ` +
        `graceful leave: takeover after ${leaveMs} ms`,
    );
    expect(takeoverMs).toBeGreaterThanOrEqual(5_000);
    expect(leaveMs).toBeLessThan(5_000);
  }, 120_000);
});
