import { randomBytes } from 'node:crypto';

import { Pool } from 'pg';

import { EventEnvelope } from '@relate/contracts';
import {
  EventPublisher,
  hasPassed,
  KafkaSettings,
  Projection,
  ProjectionOffsets,
  ProjectionRunner,
  readTopic,
} from '@relate/messaging';
import { createTestDatabase, eventually, TestDatabase } from '@relate/testing';

import { RecordsProjection } from '../../../../apps/activities/src/records/records.projection';
import { E2eStack, startE2eStack } from '../../../../apps/gateway/src/testing/e2e-stack';
import * as names from '../../../../apps/pipeline/src/company-names/company-names.projection';
import { DealsProjection } from '../../../../apps/pipeline/src/deals/deals.projection';
import { PipelinesProjection } from '../../../../apps/pipeline/src/pipelines/pipelines.projection';
import { ProductsProjection } from '../../../../apps/pipeline/src/products/products.projection';
import * as facts from '../../../../apps/reporting/src/facts/report-facts.projection';
import { ChaosFigures } from '../chaos-figures';
import { ChaosScale, ChaosScenario } from '../chaos-scenario';
import {
  acknowledgedEvents,
  DealHistoryLoad,
  makeDealHistory,
  missingFromStore,
} from './deal-history';
import { withDuplicates } from './duplicate-injection';
import { standaloneServers } from '@relate/testing';
import { rowsDiffering, tableRows } from './table-checksums';
import { failOnProblems, problemsOf } from '../scenario-problems';

const LOADS: Record<ChaosScale, DealHistoryLoad> = {
  short: { companies: 6, deals: 24, maxChangesPerDeal: 6, concurrency: 6 },
  full: { companies: 40, deals: 400, maxChangesPerDeal: 8, concurrency: 8 },
};

const DUPLICATES = { share: 0.3, outOfPlaceShare: 0.5, maxLag: 25 };

/** The contexts whose topics the compared read models read. */
type Context = 'contacts' | 'pipeline';
type ContextTopics = Record<Context, string>;

interface Fed {
  schema: string;
  projection: Projection;
}

/** The common figures, and the control run without the runner's version check. */
export interface DuplicateDeliveryFigures extends ChaosFigures {
  delivered: number;
  duplicatesInjected: number;
  outOfPlace: number;
  /** Redeliveries the runners recognised and skipped. */
  skipped: number;
  tablesCompared: number;
  /** Rows that differ when the same duplicated records are applied without the version check. */
  controlRowsDiffering: number;
}

export interface DuplicateDeliveryScenario extends ChaosScenario {
  run(scale: ChaosScale): Promise<DuplicateDeliveryFigures>;
}

/**
 * Scenario 5: a stretch of sales work through the gateway fills the contacts and pipeline
 * topics. The read models of three services (pipeline's deals, pipelines, products and company
 * names; activities' records; reporting's facts) are then fed twice into databases of their
 * own by ProjectionRunners: once from the topics as they are, once from copies where 30% of the
 * records come two or three times, half of the repeats after later records. Every table, and
 * the runners' progress, must be byte-identical. A control applies the duplicated records
 * without the runner's version check and must differ, or the comparison proves nothing.
 */
export const duplicateDeliveryScenario: DuplicateDeliveryScenario = {
  id: 5,
  name: 'duplicate deliveries',
  run: async (scale) => {
    const figures = await runDuplicateDelivery(LOADS[scale]);

    return failOnProblems({
      ...figures,
      problems: problemsOf({
        'duplicates were injected, some after later records':
          figures.duplicatesInjected > 0 && figures.outOfPlace > 0,
        'every injected duplicate was recognised and skipped':
          figures.skipped >= figures.duplicatesInjected,
        'without the version check the duplicates change the rows':
          figures.controlRowsDiffering > 0,
      }),
    });
  },
};

async function runDuplicateDelivery(load: DealHistoryLoad): Promise<DuplicateDeliveryFigures> {
  const servers = await standaloneServers('chaoslib');
  const cleanups: Array<() => Promise<unknown>> = [() => servers.stop()];
  const cleanup = (step: () => Promise<unknown>) => cleanups.push(step);
  try {
    const stack: E2eStack = await startE2eStack('chaos_dups');
    cleanup(() => stack.stop());
    const history = await makeDealHistory(stack, load);
    const kafka = servers.kafka('chaos-duplicates');
    const clean: ContextTopics = {
      contacts: stack.stack.settings.topics?.contacts ?? '',
      pipeline: stack.stack.settings.topics?.pipeline ?? '',
    };
    const stored = await storedEvents(stack.stack.database.url);
    const { contacts, pipeline } = history.acknowledgedVersions;
    const expected = acknowledgedEvents(contacts) + acknowledgedEvents(pipeline);
    const notStored =
      (await missingFromStore(stack.stack.database.url, 'contacts', contacts)) +
      (await missingFromStore(stack.stack.database.url, 'pipeline', pipeline));
    await allPublished(kafka, clean, stored);
    await stack.stop();

    const run = randomBytes(4).toString('hex');
    const duplicated: ContextTopics = {
      contacts: `${clean.contacts}.dup-${run}`,
      pipeline: `${clean.pipeline}.dup-${run}`,
    };
    const copy = await copyWithDuplicates(kafka, clean, duplicated);
    const databases = await Promise.all(
      ['clean', 'dups', 'control'].map((label) => createTestDatabase(`chaos_dups_${label}`)),
    );
    databases.forEach((database) => cleanup(() => database.drop()));
    const pools = databases.map((database: TestDatabase) => {
      const pool = new Pool({ connectionString: database.url, max: 8 });
      cleanup(() => pool.end());

      return pool;
    });
    const cleanRun = await feed(pools[0], kafka, clean, `chaos.dups.${run}.clean`);
    const dupRun = await feed(pools[1], kafka, duplicated, `chaos.dups.${run}.dups`);
    await applyWithoutVersionCheck(pools[2], duplicated, copy.records);

    const projectionTables = cleanRun.tables.filter((table) => !table.endsWith('_versions'));
    const [cleanRows, dupRows, controlRows] = await Promise.all([
      tableRows(pools[0], cleanRun.tables),
      tableRows(pools[1], cleanRun.tables),
      tableRows(pools[2], projectionTables),
    ]);
    const differing = rowsDiffering(cleanRows, dupRows).filter((entry) => entry.differing > 0);
    const cleanProjected = cleanRows.filter((entry) => projectionTables.includes(entry.table));
    const controlDiffering = rowsDiffering(cleanProjected, controlRows).reduce(
      (sum, entry) => sum + entry.differing,
      0,
    );
    const storedIds = new Set(stored.ids);
    const onCopy = new Set(copy.records.map(({ event }) => event.id));
    const lost = notStored + [...storedIds].filter((id) => !onCopy.has(id)).length;

    return {
      scenario: 5,
      name: 'duplicate deliveries',
      acknowledged: history.acknowledged,
      expectedEvents: expected,
      foundEvents: expected - lost,
      lost,
      appliedTwice: differing.reduce((sum, entry) => sum + entry.differing, 0),
      recoverySeconds: null,
      delivered: copy.records.length,
      duplicatesInjected: copy.injected,
      outOfPlace: copy.outOfPlace,
      skipped: dupRun.skipped,
      tablesCompared: cleanRun.tables.length,
      controlRowsDiffering: controlDiffering,
      detail: [
        `commands refused ${history.refused}`,
        `events stored ${storedIds.size}`,
        `messages delivered ${copy.records.length}`,
        `duplicates injected ${copy.injected} (${copy.outOfPlace} after later records)`,
        `redeliveries skipped ${dupRun.skipped}`,
        `tables compared ${cleanRun.tables.length}`,
        `rows ${cleanRows.reduce((sum, entry) => sum + entry.rows, 0)}`,
        `rows differing ${differing.map((e) => `${e.table}:${e.differing}`).join(',') || 0}`,
        `control without version check: rows differing ${controlDiffering}`,
      ].join('; '),
    };
  } finally {
    for (const step of cleanups.reverse()) {
      await step().catch(() => undefined);
    }
  }
}

/** The read models compared, each projection reading the given topics as in its service. */
function readModels(topics: ContextTopics): Fed[] {
  return [
    { schema: 'pipeline', projection: new PipelinesProjection([topics.pipeline]) },
    { schema: 'pipeline', projection: new ProductsProjection([topics.pipeline]) },
    { schema: 'pipeline', projection: new DealsProjection([topics.pipeline]) },
    { schema: 'pipeline', projection: new names.CompanyNamesProjection([topics.contacts]) },
    {
      schema: 'activities',
      projection: new RecordsProjection([topics.contacts, topics.pipeline]),
    },
    {
      schema: 'reporting',
      projection: new facts.ReportFactsProjection([topics.contacts, topics.pipeline]),
    },
  ];
}

async function storedEvents(databaseUrl: string): Promise<{ ids: string[]; count: number }> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ id: string }>(
      `SELECT event_id AS id FROM contacts.events UNION ALL SELECT event_id FROM pipeline.events`,
    );

    return { ids: rows.map(({ id }) => id), count: rows.length };
  } finally {
    await pool.end();
  }
}

async function topicEnds(kafka: KafkaSettings, topics: string[]) {
  const offsets = new ProjectionOffsets(kafka);
  try {
    return await offsets.endOffsets(topics);
  } finally {
    await offsets.close();
  }
}

async function allPublished(
  kafka: KafkaSettings,
  topics: ContextTopics,
  stored: { count: number },
): Promise<void> {
  await eventually(
    async () => {
      const ends = await topicEnds(kafka, [topics.contacts, topics.pipeline]);
      const total = ends.reduce((sum, end) => sum + Number(end.offset), 0);

      return total >= stored.count ? true : undefined;
    },
    30_000,
    200,
  );
}

interface CopiedRecord {
  context: Context;
  event: EventEnvelope;
}

/** Reads each clean topic and writes its copy with duplicates, partition by partition. */
async function copyWithDuplicates(
  kafka: KafkaSettings,
  clean: ContextTopics,
  duplicated: ContextTopics,
): Promise<{ records: CopiedRecord[]; injected: number; outOfPlace: number }> {
  const publisher = new EventPublisher(kafka);
  await publisher.connect();
  const copied: CopiedRecord[] = [];
  let injected = 0;
  let outOfPlace = 0;
  try {
    for (const context of ['contacts', 'pipeline'] as const) {
      const ends = await topicEnds(kafka, [clean[context]]);
      const total = ends.reduce((sum, end) => sum + Number(end.offset), 0);
      const records = await readTopic(kafka, clean[context], total, 30_000);
      if (records.length < total) {
        throw new Error(`read ${records.length} of ${total} records of ${clean[context]}`);
      }
      const partitions = [...new Set(records.map((record) => record.partition))];
      for (const partition of partitions) {
        const events = records
          .filter((record) => record.partition === partition)
          .map((record) => JSON.parse(record.value ?? 'null') as EventEnvelope);
        const withRepeats = withDuplicates(events, DUPLICATES);
        injected += withRepeats.injected;
        outOfPlace += withRepeats.outOfPlace;
        // Same keys and as many partitions: each stream lands on one partition, in this order.
        await publisher.publish(duplicated[context], withRepeats.sequence);
        copied.push(...withRepeats.sequence.map((event) => ({ context, event })));
      }
    }
  } finally {
    await publisher.disconnect();
  }

  return { records: copied, injected, outOfPlace };
}

/** Runs the read models from the topics until their groups have read them to the end. */
async function feed(
  pool: Pool,
  kafka: KafkaSettings,
  topics: ContextTopics,
  groupPrefix: string,
): Promise<{ tables: string[]; skipped: number }> {
  const fed = readModels(topics);
  const runners = fed.map(
    ({ schema, projection }) =>
      new ProjectionRunner(pool, kafka, projection, {
        schema,
        groupId: `${groupPrefix}.${projection.name}`,
        sessionTimeoutMs: 6_000,
      }),
  );
  const offsets = new ProjectionOffsets(kafka);
  try {
    // One after another: their migrations take turns anyway.
    for (const runner of runners) {
      await runner.start();
    }
    await eventually(
      async () => {
        for (const [index, runner] of runners.entries()) {
          const wanted = fed[index].projection.topics;
          const ends = await offsets.endOffsets(wanted);
          const committed = await offsets.committedOffsets(runner.groupId, wanted);
          if (!hasPassed(ends, committed)) {
            return undefined;
          }
        }

        return true;
      },
      60_000,
      200,
    );
  } finally {
    for (const runner of runners) {
      await runner.stop();
    }
    await offsets.close();
  }
  const schemas = [...new Set(fed.map(({ schema }) => schema))];
  const tables = [
    ...fed.flatMap(({ projection }) => projection.tables ?? []),
    ...schemas.map((schema) => `${schema}.projection_stream_versions`),
  ];

  return {
    tables: [...new Set(tables)].sort(),
    skipped: runners.reduce((sum, runner) => sum + runner.stats.skipped, 0),
  };
}

/**
 * The control: the same duplicated records applied straight to the projections, each in its
 * own transaction, without the runner's per-stream version check.
 */
async function applyWithoutVersionCheck(
  pool: Pool,
  topics: ContextTopics,
  records: CopiedRecord[],
): Promise<void> {
  const fed = readModels(topics);
  const client = await pool.connect();
  try {
    for (const { projection } of fed) {
      await client.query('BEGIN');
      await projection.migrate(client);
      await client.query('COMMIT');
    }
    for (const { context, event } of records) {
      for (const { projection } of fed) {
        if (!projection.topics.includes(topics[context])) {
          continue;
        }
        await client.query('BEGIN');
        try {
          await projection.apply(event, client);
          await client.query('COMMIT');
        } catch {
          // Some repeats fail outright without the check (a second insert); skip them.
          await client.query('ROLLBACK');
        }
      }
    }
  } finally {
    client.release();
  }
}
