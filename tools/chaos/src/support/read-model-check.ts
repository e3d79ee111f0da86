import { Client } from 'pg';

import { BACKEND_SERVICES, BackendService } from '@relate/config';

import { replay } from '../../../replay/src/replay.runner';
import { ReadModelProbe } from '../../../replay/src/testing/read-model-probe';
import { ChaosStack } from './chaos-stack';
import { CommandRecord } from './command-driver';

/** The services that keep an event store (reporting only reads). */
const WRITERS: BackendService[] = ['contacts', 'pipeline', 'activities', 'automation'];

/** Runs `work` with the replay tools' probe on a connection of its own. */
export async function withProbe<T>(
  stack: ChaosStack,
  work: (probe: ReadModelProbe) => Promise<T>,
): Promise<T> {
  const db = new Client({ connectionString: stack.databaseUrl });
  db.on('error', () => undefined);
  await db.connect();
  try {
    return await work(new ReadModelProbe(db, stack.serviceUrls()));
  } finally {
    await db.end().catch(() => undefined);
  }
}

/** Every stored event relayed and every read model of every service read to the end. */
export function settle(stack: ChaosStack, timeoutMs = 60_000): Promise<void> {
  return withProbe(stack, (probe) => probe.settle(timeoutMs));
}

/**
 * Events stored but not yet published by each service's outbox relay (beyond its checkpoint, in
 * the relay's order), summed over the services; with `upTo` (from `outboxMarks`), only those
 * stored by then.
 */
export async function outboxBacklog(
  stack: ChaosStack,
  upTo?: Record<string, string>,
): Promise<number> {
  let backlog = 0;
  for (const service of WRITERS) {
    const rows = await stack.sql<{ count: number }>(
      `SELECT count(*)::int AS count FROM "${service}".events e
       WHERE (e.transaction_id, e.position) > (
         coalesce((SELECT max(transaction_id) FROM "${service}".relay_checkpoints), '0'::xid8),
         coalesce((SELECT max(position) FROM "${service}".relay_checkpoints), 0))
         AND ($1::bigint IS NULL OR e.position <= $1::bigint)`,
      [upTo?.[service] ?? null],
    );
    backlog += rows[0].count;
  }

  return backlog;
}

/** The last position stored in each service's event store now: a mark for `outboxBacklog`. */
export async function outboxMarks(stack: ChaosStack): Promise<Record<string, string>> {
  const marks: Record<string, string> = {};
  for (const service of WRITERS) {
    const rows = await stack.sql<{ last: string }>(
      `SELECT coalesce(max(position), 0)::text AS last FROM "${service}".events`,
    );
    marks[service] = rows[0].last;
  }

  return marks;
}

/** What one command stored: its events on its stream (by correlation id) and their versions. */
export interface StoredCommand {
  count: number;
  maxVersion: number;
  minVersion: number;
}

/** The events each command stored, by correlation id, looked up in its service's event store. */
export async function storedByCommand(
  stack: ChaosStack,
  records: readonly CommandRecord[],
): Promise<Map<string, StoredCommand>> {
  const found = new Map<string, StoredCommand>();
  for (const service of WRITERS) {
    const mine = records.filter((r) => r.service === service);
    if (mine.length === 0) continue;
    const rows = await stack.sql<{ correlation_id: string; stream_id: string } & StoredCommand>(
      `SELECT correlation_id, stream_id, count(*)::int AS count,
         max(stream_version) AS "maxVersion", min(stream_version) AS "minVersion"
       FROM "${service}".events WHERE correlation_id = ANY($1) GROUP BY 1, 2`,
      [mine.map((r) => r.correlationId)],
    );
    const streams = new Map(mine.map((r) => [r.correlationId, r.streamId]));
    for (const row of rows) {
      // A reactor may write to other streams under the same correlation: not this command's.
      if (streams.get(row.correlation_id) === row.stream_id) found.set(row.correlation_id, row);
    }
  }

  return found;
}

/** Per read model (projection or reactor, in any service), the version it applied per stream. */
export async function readModelVersions(
  stack: ChaosStack,
): Promise<Map<string, Map<string, number>>> {
  const schemas = await stack.sql<{ schema: string }>(
    `SELECT table_schema AS schema FROM information_schema.tables
     WHERE table_name = 'projection_stream_versions'`,
  );
  const versions = new Map<string, Map<string, number>>();
  for (const { schema } of schemas) {
    const rows = await stack.sql<{ projection: string; stream_id: string; version: number }>(
      `SELECT projection, stream_id, version FROM "${schema}".projection_stream_versions`,
    );
    for (const row of rows) {
      const name = `${schema}/${row.projection}`;
      const streams = versions.get(name) ?? new Map<string, number>();
      streams.set(row.stream_id, row.version);
      versions.set(name, streams);
    }
  }

  return versions;
}

/** The stream type (`deal-`, `company-`...) of a stream id, given the tenant. */
export function streamPrefix(streamId: string, tenantId: string): string {
  return streamId.split(tenantId)[0];
}

/** Which read models follow which stream types: those they hold a version of any stream for. */
export function followedPrefixes(
  versions: Map<string, Map<string, number>>,
  tenantId: string,
): Map<string, Set<string>> {
  const followed = new Map<string, Set<string>>();
  for (const [model, streams] of versions) {
    const prefixes = new Set([...streams.keys()].map((s) => streamPrefix(s, tenantId)));
    followed.set(model, prefixes);
  }

  return followed;
}

export interface CommandAudit {
  acknowledged: number;
  /** Events the acknowledged commands answered for (new version minus the one before). */
  expectedEvents: number;
  /** Of those, found in the event store. */
  storedEvents: number;
  /** Acknowledged events missing from the event store. */
  lostInStore: number;
  /** (read model, acknowledged event) pairs a read model following its stream has not applied. */
  missingInReadModels: number;
  /** Acknowledged events applied by every read model that follows their stream. */
  inEveryReadModel: number;
  /** Rejected or failed commands whose events are stored anyway: a client told a lie. */
  failedButStored: number;
  unknownStored: number;
  unknownAbsent: number;
  /** Commands stored partly (in the store, or in a read model): must never happen. */
  half: number;
  /** A few examples of what went wrong, for the detail line and the logs. */
  problems: string[];
}

/**
 * Checks every command against the event store and the read models: an acknowledged command's
 * events are all stored and applied by every read model that follows their stream type; a
 * rejected or failed command stored nothing; a command of unknown outcome stored all or nothing.
 * `followed` may be taken before a fault (`followedPrefixes`), so that a read model that then
 * missed a whole stream type is still held to it.
 */
export async function auditCommands(
  stack: ChaosStack,
  records: readonly CommandRecord[],
  followed?: Map<string, Set<string>>,
): Promise<CommandAudit> {
  const stored = await storedByCommand(stack, records);
  const versions = await readModelVersions(stack);
  const following = followedPrefixes(versions, stack.tenantId);
  for (const [model, prefixes] of followed ?? []) {
    following.set(model, new Set([...prefixes, ...(following.get(model) ?? [])]));
  }
  const audit: CommandAudit = {
    acknowledged: 0,
    expectedEvents: 0,
    storedEvents: 0,
    lostInStore: 0,
    missingInReadModels: 0,
    inEveryReadModel: 0,
    failedButStored: 0,
    unknownStored: 0,
    unknownAbsent: 0,
    half: 0,
    problems: [],
  };
  const problem = (text: string) => {
    if (audit.problems.length < 10) audit.problems.push(text);
  };
  for (const record of records) {
    const found = stored.get(record.correlationId);
    const modelsBehind =
      found === undefined ? [] : behind(record, found, versions, following, stack.tenantId);
    if (record.outcome === 'acknowledged') {
      const expected = (record.version ?? record.fromVersion + 1) - record.fromVersion;
      const count = found?.count ?? 0;
      audit.acknowledged += 1;
      audit.expectedEvents += expected;
      audit.storedEvents += Math.min(count, expected);
      audit.lostInStore += Math.max(expected - count, 0);
      audit.missingInReadModels += modelsBehind.length * Math.min(count, expected);
      audit.inEveryReadModel += modelsBehind.length === 0 ? Math.min(count, expected) : 0;
      if (count < expected) problem(`#${record.seq} ${record.kind} acknowledged, ${count} stored`);
      if (modelsBehind.length > 0) {
        problem(`#${record.seq} ${record.kind} not in ${modelsBehind.join(', ')}`);
      }
    } else if (record.outcome === 'unknown') {
      if (found === undefined) audit.unknownAbsent += 1;
      else audit.unknownStored += 1;
      if (found !== undefined && modelsBehind.length > 0) {
        audit.half += 1;
        problem(
          `#${record.seq} ${record.kind} (unknown) stored, not in ${modelsBehind.join(', ')}`,
        );
      }
    } else if (found !== undefined) {
      audit.failedButStored += 1;
      problem(`#${record.seq} ${record.kind} answered ${record.status} but stored`);
    }
  }

  return audit;
}

/** The read models that follow the command's stream type and have not applied its last event. */
function behind(
  record: CommandRecord,
  found: StoredCommand,
  versions: Map<string, Map<string, number>>,
  following: Map<string, Set<string>>,
  tenantId: string,
): string[] {
  const prefix = streamPrefix(record.streamId, tenantId);
  const models: string[] = [];
  for (const [model, prefixes] of following) {
    if (!prefixes.has(prefix)) continue;
    if ((versions.get(model)?.get(record.streamId) ?? 0) < found.maxVersion) models.push(model);
  }

  return models;
}

/**
 * Polls until every event of the acknowledged commands among `records()` is applied by every
 * read model that follows its stream, and every unknown-outcome command that stored something
 * is applied everywhere too; resolves with the last audit, or throws when time is up.
 */
export async function untilApplied(
  stack: ChaosStack,
  records: () => readonly CommandRecord[],
  followed: Map<string, Set<string>> | undefined,
  timeoutMs: number,
): Promise<CommandAudit> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const audit = await auditCommands(stack, records(), followed);
    if (audit.inEveryReadModel === audit.expectedEvents && audit.half === 0) {
      return audit;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `not every acknowledged event reached every read model within ${timeoutMs} ms: ` +
          audit.problems.join('; '),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface TableDiff {
  service: BackendService;
  table: string;
  liveRows: number;
  rebuiltRows: number;
  /** Rows the live table has that the rebuilt one has not (applied twice, or wrongly). */
  onlyLive: number;
  /** Rows the rebuilt table has that the live one lacks (lost). */
  onlyRebuilt: number;
}

export interface RebuildComparison {
  tables: number;
  rows: number;
  differing: TableDiff[];
  /** Rows only in the live tables: each an effect applied twice or wrongly. */
  onlyLive: number;
  /** Rows only in the rebuilt tables: each an effect the live read models lost. */
  onlyRebuilt: number;
  seconds: number;
}

/**
 * Waits until everything is relayed and applied, takes every row of every replayable table of
 * every service, rebuilds them all from the topics (`POST /ops/read-models/rebuild`, as
 * `npm run replay` does), and compares row by row. The command stream must be stopped.
 */
export async function compareWithRebuild(
  stack: ChaosStack,
  timeoutMs = 120_000,
): Promise<RebuildComparison> {
  const started = Date.now();

  return withProbe(stack, async (probe) => {
    await probe.settle(timeoutMs);
    const live = await snapshot(stack, probe);
    await Promise.all(
      BACKEND_SERVICES.map((service) =>
        replay({
          service,
          url: stack.url(service),
          pollMs: 200,
          timeoutMs,
          write: (line) => stack.logs.add('replay', line),
        }),
      ),
    );
    await probe.settle(timeoutMs);
    const rebuilt = await snapshot(stack, probe);
    const differing: TableDiff[] = [];
    let rows = 0;
    for (const [key, liveRows] of live) {
      const [service, table] = key.split(' ') as [BackendService, string];
      const rebuiltRows = rebuilt.get(key) ?? [];
      rows += liveRows.length;
      const { onlyLeft, onlyRight } = multisetDiff(liveRows, rebuiltRows);
      if (onlyLeft + onlyRight > 0) {
        differing.push({
          service,
          table,
          liveRows: liveRows.length,
          rebuiltRows: rebuiltRows.length,
          onlyLive: onlyLeft,
          onlyRebuilt: onlyRight,
        });
      }
    }

    return {
      tables: live.size,
      rows,
      differing,
      onlyLive: differing.reduce((sum, d) => sum + d.onlyLive, 0),
      onlyRebuilt: differing.reduce((sum, d) => sum + d.onlyRebuilt, 0),
      seconds: (Date.now() - started) / 1000,
    };
  });
}

/** A hash of every row of every projection table, per `<service> <table>`. */
async function snapshot(stack: ChaosStack, probe: ReadModelProbe): Promise<Map<string, string[]>> {
  const tables = new Map<string, string[]>();
  for (const service of BACKEND_SERVICES) {
    const models = await probe.readModels(service);
    for (const table of models.filter((m) => m.kind === 'projection').flatMap((m) => m.tables)) {
      const rows = await stack.sql<{ h: string }>(`SELECT md5(t::text) AS h FROM ${table} t`);
      tables.set(`${service} ${table}`, rows.map(({ h }) => h).sort());
    }
  }

  return tables;
}

function multisetDiff(left: string[], right: string[]): { onlyLeft: number; onlyRight: number } {
  const counts = new Map<string, number>();
  for (const row of left) counts.set(row, (counts.get(row) ?? 0) + 1);
  for (const row of right) counts.set(row, (counts.get(row) ?? 0) - 1);
  let onlyLeft = 0;
  let onlyRight = 0;
  for (const count of counts.values()) {
    if (count > 0) onlyLeft += count;
    else onlyRight -= count;
  }

  return { onlyLeft, onlyRight };
}
