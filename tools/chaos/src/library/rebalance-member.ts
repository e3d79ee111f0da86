import { Logger } from '@nestjs/common';
import { Pool } from 'pg';

import { ProjectionRunner } from '@relate/messaging';

import { MEMBER_STATS_TABLE, WitnessedDealsProjection } from './witnessed-deals.projection';

const STATS_EVERY_MS = 250;

/** What the scenario tells a member process, as JSON in REBALANCE_MEMBER. */
export interface RebalanceMemberConfig {
  instance: string;
  databaseUrl: string;
  brokers: string[];
  topic: string;
  groupId: string;
  sessionTimeoutMs: number;
}

/**
 * One instance of a consumer of the deals read model, as its own process, so that the scenario
 * can stop it gracefully (SIGTERM: the runner leaves the group) or kill it (SIGKILL: the member
 * stops heartbeating without leaving, and the broker expires it after its session timeout).
 */
async function main(): Promise<void> {
  const config = JSON.parse(process.env.REBALANCE_MEMBER ?? '') as RebalanceMemberConfig;
  const logger = new Logger('RebalanceMember');
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
  pool.on('error', () => undefined);
  const projection = new WitnessedDealsProjection([config.topic], config.instance);
  process.on('message', (message: { holdNextApply?: boolean }) => {
    if (message.holdNextApply) {
      projection.holdNextApply();
    }
  });
  const runner = new ProjectionRunner(
    pool,
    { brokers: config.brokers, clientId: config.instance },
    projection,
    { schema: 'pipeline', groupId: config.groupId, sessionTimeoutMs: config.sessionTimeoutMs },
  );
  // What the runner counted, for the scenario: a killed member loses only its last interval.
  const reportStats = () =>
    pool
      .query(
        `INSERT INTO ${MEMBER_STATS_TABLE} (instance, applied, skipped) VALUES ($1, $2, $3)
         ON CONFLICT (instance) DO UPDATE SET applied = $2, skipped = $3`,
        [config.instance, runner.stats.applied, runner.stats.skipped],
      )
      .catch(() => undefined);
  // Never outlive the scenario: if it dies, its IPC channel closes.
  process.once('disconnect', () => process.kill(process.pid, 'SIGKILL'));
  let stopping = false;
  process.on('SIGTERM', () => {
    if (stopping) {
      return;
    }
    stopping = true;
    runner
      .stop()
      .then(() => reportStats())
      .then(() => pool.end())
      .then(
        () => process.exit(0),
        (error: Error) => {
          logger.error('member failed to stop', { error: error.message });
          process.exit(1);
        },
      );
  });
  await runner.start();
  const timer = setInterval(reportStats, STATS_EVERY_MS);
  process.once('SIGTERM', () => clearInterval(timer));
  process.send?.({ ready: true });
}

main().catch((error: Error) => {
  new Logger('RebalanceMember').error('member failed', { error: error.message });
  process.exit(1);
});
