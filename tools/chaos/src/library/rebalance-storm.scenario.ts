import { randomBytes } from 'node:crypto';

import { Pool } from 'pg';

import { hasPassed, KafkaSettings, ProjectionOffsets, ProjectionRunner } from '@relate/messaging';
import { createTestDatabase, eventually } from '@relate/testing';

import { E2eStack, startE2eStack } from '../../../../apps/gateway/src/testing/e2e-stack';
import { DealsProjection } from '../../../../apps/pipeline/src/deals/deals.projection';
import { ChaosFigures } from '../chaos-figures';
import { ChaosScale, ChaosScenario } from '../chaos-scenario';
import {
  acknowledgedEvents,
  DealHistoryLoad,
  makeDealHistory,
  missingFromStore,
} from './deal-history';
import { GroupView, GroupWatcher, splitsPartitions } from './group-watcher';
import { standaloneServers } from '@relate/testing';
import { MemberProcess } from './member-process';
import { rowsDiffering, tableRows } from './table-checksums';
import { MEMBER_STATS_TABLE, WITNESS_TABLE } from './witnessed-deals.projection';
import { failOnProblems, problemsOf } from '../scenario-problems';

type Change = 'add' | 'stop' | 'kill' | 'freeze';

interface StormLoad {
  /** Membership changes after the first two instances have split the partitions. */
  changes: Change[];
  /** Time between two changes, under load. */
  pauseMs: number;
  deals: DealHistoryLoad;
}

// The broker's smallest session (group.min.session.timeout.ms, 6 s in Kafka and here): a killed
// member holds its partitions this long before the broker expires it.
const SESSION_TIMEOUT_MS = 6_000;

const LOADS: Record<ChaosScale, StormLoad> = {
  short: {
    changes: ['add', 'stop', 'freeze', 'kill'],
    pauseMs: 1_000,
    deals: { companies: 4, deals: 10_000, maxChangesPerDeal: 5, concurrency: 3 },
  },
  full: {
    changes: [
      ...['add', 'add', 'stop', 'kill', 'freeze', 'add', 'kill'],
      ...['add', 'stop', 'freeze', 'add', 'kill'],
    ] as Change[],
    pauseMs: 3_000,
    deals: { companies: 20, deals: 100_000, maxChangesPerDeal: 6, concurrency: 4 },
  },
};

/** The common figures, and what the group did. */
export interface RebalanceStormFigures extends ChaosFigures {
  rebalances: number;
  /** Whether two instances of the consumer split the topic's partitions between them. */
  twoInstancesSplit: boolean;
  twoInstanceView: GroupView;
  /** Rows of the storm's read model that differ from a from-scratch rebuild. */
  rebuildDiffering: number;
  /** Redeliveries the instances' runners recognised by stream version and skipped. */
  redeliveriesSkipped: number;
  changes: Record<Change, number>;
}

export interface RebalanceStormScenario extends ChaosScenario {
  run(scale: ChaosScale): Promise<RebalanceStormFigures>;
}

/**
 * Scenario 7: under a steady stream of deal commands through the gateway, instances of the
 * pipeline's deals read model (each a process with a ProjectionRunner, all in one consumer
 * group) are added, stopped (they leave the group), killed (they stop heartbeating; the
 * broker expires them after the session) and frozen past their session (they come back as
 * zombies, still busy with a batch whose partition has moved on) again and again. Each
 * instance also counts, in the
 * transaction that applies an event, how often that event was applied. At the end every stored
 * event was applied exactly once, and the read model equals a rebuild from scratch.
 */
export const rebalanceStormScenario: RebalanceStormScenario = {
  id: 7,
  name: 'rebalance storm',
  run: async (scale) => {
    const figures = await runRebalanceStorm(LOADS[scale]);

    return failOnProblems({
      ...figures,
      problems: problemsOf({
        'two instances split the partitions': figures.twoInstancesSplit,
        'the read model equals a rebuild': figures.rebuildDiffering === 0,
        'instances were stopped, killed and frozen':
          figures.changes.stop > 0 && figures.changes.kill > 0 && figures.changes.freeze > 0,
        // A redelivery needs a member stopped between committing a batch and committing its
        // offset. The full storm's load makes that all but certain; the short one's hundred or
        // so events may leave no batch in flight at any change (scenario 5 injects them).
        ...(scale === 'full'
          ? { 'redeliveries happened and were skipped': figures.redeliveriesSkipped > 0 }
          : {}),
      }),
    });
  },
};

async function runRebalanceStorm(load: StormLoad): Promise<RebalanceStormFigures> {
  const servers = await standaloneServers('chaoslib');
  const cleanups: Array<() => Promise<unknown>> = [() => servers.stop()];
  const cleanup = (step: () => Promise<unknown>) => cleanups.push(step);
  const members: MemberProcess[] = [];
  cleanup(() => Promise.all(members.filter((m) => m.alive).map((m) => m.kill())));
  try {
    const stack: E2eStack = await startE2eStack('chaos_storm');
    cleanup(() => stack.stop());
    const membersDb = await createTestDatabase('chaos_storm_members');
    cleanup(() => membersDb.drop());
    const storePool = new Pool({ connectionString: stack.stack.database.url, max: 2 });
    cleanup(() => storePool.end());
    const membersPool = new Pool({ connectionString: membersDb.url, max: 2 });
    cleanup(() => membersPool.end());
    const topic = stack.stack.settings.topics?.pipeline ?? '';
    const run = randomBytes(4).toString('hex');
    const groupId = `chaos.storm.${run}`;
    const kafka = servers.kafka(`chaos-storm-${run}`);

    let stormOver = false;
    const work = makeDealHistory(stack, load.deals, () => !stormOver);
    const partitions = (await topicEndsOnce(kafka, topic)).length;
    const watcher = new GroupWatcher(kafka, groupId, topic);
    await watcher.start();
    cleanup(() => watcher.stop());

    let count = 0;
    const addMember = async () => {
      count += 1;
      const member = new MemberProcess({
        instance: `deals-${run}-${count}`,
        databaseUrl: membersDb.url,
        brokers: servers.brokers,
        topic,
        groupId,
        sessionTimeoutMs: SESSION_TIMEOUT_MS,
      });
      members.push(member);
      await member.ready();
    };
    await Promise.all([addMember(), addMember()]);
    const twoInstanceView = await eventually(
      async () => {
        const view = await watcher.describe();

        return view.state === 'Stable' &&
          view.members.length === 2 &&
          splitsPartitions(view, partitions)
          ? view
          : undefined;
      },
      30_000,
      200,
    ).catch(() => watcher.latest);
    const twoInstancesSplit = splitsPartitions(twoInstanceView, partitions);

    const changes: Record<Change, number> = { add: 0, stop: 0, kill: 0, freeze: 0 };
    let lastChangeAt = Date.now();
    for (const planned of load.changes) {
      await pause(load.pauseMs);
      const alive = members.filter((member) => member.alive);
      const change: Change = alive.length <= 1 ? 'add' : planned;
      // A frozen member matters most while it holds partitions: pick one that does, if any.
      const holders = alive.filter((member) =>
        watcher.latest.members.some(
          (seen) => seen.clientId === member.config.instance && seen.partitions.length > 0,
        ),
      );
      const candidates = change === 'freeze' && holders.length > 0 ? holders : alive;
      const victim = candidates[Math.floor(Math.random() * candidates.length)];
      if (change === 'add') {
        await addMember();
      } else if (change === 'stop') {
        await victim.stop();
      } else if (change === 'freeze') {
        // Past its session, so that the broker gives its partitions to another instance.
        await victim.freeze(SESSION_TIMEOUT_MS + 2_000);
      } else {
        await victim.kill();
      }
      changes[change] += 1;
      lastChangeAt = Date.now();
    }
    await pause(load.pauseMs);
    stormOver = true;
    const history = await work;

    const stored = await eventually(() => everythingApplied(storePool, membersPool), 120_000, 200);
    const recoverySeconds = (Date.now() - lastChangeAt) / 1000;
    await Promise.all(members.filter((member) => member.alive).map((member) => member.stop()));
    const witness = await witnessed(membersPool);
    const versions = history.acknowledgedVersions.pipeline;
    const notStored = await missingFromStore(stack.stack.database.url, 'pipeline', versions);
    const expected = acknowledgedEvents(versions);
    const lost = notStored + stored.filter((id) => !witness.has(id)).length;
    const doubled = [...witness.values()].filter((times) => times > 1).length;
    const rebuildDiffering = await compareWithRebuild(membersPool, kafka, topic, groupId);
    const { rows: stats } = await membersPool.query<{ skipped: number }>(
      `SELECT coalesce(sum(skipped), 0)::int AS skipped FROM ${MEMBER_STATS_TABLE}`,
    );

    return {
      scenario: 7,
      name: 'rebalance storm',
      acknowledged: history.pipelineAcknowledged,
      expectedEvents: expected,
      foundEvents: expected - lost,
      lost,
      appliedTwice: doubled + rebuildDiffering,
      recoverySeconds,
      rebalances: watcher.rebalances,
      twoInstancesSplit,
      twoInstanceView,
      rebuildDiffering,
      redeliveriesSkipped: stats[0].skipped,
      changes,
      detail: [
        `instances added ${changes.add + 2}, stopped ${changes.stop}, killed ${changes.kill}, ` +
          `frozen past their session ${changes.freeze}`,
        `rebalances seen ${watcher.rebalances}`,
        `two instances: ${describeView(twoInstanceView)} of ${partitions} partitions`,
        `redeliveries skipped ${stats[0].skipped}`,
        `events applied twice ${doubled}`,
        `rows differing from a rebuild ${rebuildDiffering}`,
        `commands refused ${history.refused}`,
        `events stored ${stored.length}`,
      ].join('; '),
    };
  } finally {
    for (const step of cleanups.reverse()) {
      await step().catch(() => undefined);
    }
  }
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function topicEndsOnce(kafka: KafkaSettings, topic: string) {
  const offsets = new ProjectionOffsets(kafka);
  try {
    return await eventually(async () => {
      const ends = await offsets.endOffsets([topic]);

      return ends.length > 0 ? ends : undefined;
    }, 30_000);
  } finally {
    await offsets.close();
  }
}

/** The stored events' ids once every one of them has reached the witness, else undefined. */
async function everythingApplied(store: Pool, members: Pool): Promise<string[] | undefined> {
  const { rows } = await store.query<{ id: string }>(
    `SELECT event_id::text AS id FROM pipeline.events`,
  );
  const { rows: counted } = await members
    .query<{ n: number }>(`SELECT count(*)::int AS n FROM ${WITNESS_TABLE}`)
    .catch(() => ({ rows: [{ n: 0 }] }));

  return counted[0].n >= rows.length ? rows.map(({ id }) => id) : undefined;
}

async function witnessed(members: Pool): Promise<Map<string, number>> {
  const { rows } = await members.query<{ id: string; applications: number }>(
    `SELECT event_id AS id, applications FROM ${WITNESS_TABLE}`,
  );

  return new Map(rows.map(({ id, applications }) => [id, applications]));
}

/** Feeds a fresh database from the topic's start and counts rows that differ from the storm's. */
async function compareWithRebuild(
  members: Pool,
  kafka: KafkaSettings,
  topic: string,
  groupId: string,
): Promise<number> {
  const database = await createTestDatabase('chaos_storm_rebuild');
  const pool = new Pool({ connectionString: database.url, max: 4 });
  const offsets = new ProjectionOffsets(kafka);
  const runner = new ProjectionRunner(pool, kafka, new DealsProjection([topic]), {
    schema: 'pipeline',
    groupId: `${groupId}.rebuild`,
    sessionTimeoutMs: SESSION_TIMEOUT_MS,
  });
  try {
    await runner.start();
    await eventually(
      async () => {
        const ends = await offsets.endOffsets([topic]);
        const committed = await offsets.committedOffsets(runner.groupId, [topic]);

        return hasPassed(ends, committed) ? true : undefined;
      },
      60_000,
      200,
    );
    await runner.stop();
    const tables = ['pipeline.deals', 'pipeline.projection_stream_versions'];
    const [storm, rebuilt] = await Promise.all([
      tableRows(members, tables),
      tableRows(pool, tables),
    ]);

    return rowsDiffering(storm, rebuilt).reduce((sum, entry) => sum + entry.differing, 0);
  } finally {
    await runner.stop();
    await offsets.close();
    await pool.end();
    await database.drop();
  }
}

function describeView(view: GroupView): string {
  return view.members.map((member) => `[${member.partitions.join(',')}]`).join(' + ');
}
