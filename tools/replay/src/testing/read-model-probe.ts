import { Client } from 'pg';

import { BACKEND_SERVICES, BackendService } from '@relate/config';
import type { ReadModelStatus } from '@relate/service-kit';

export interface TableSum {
  table: string;
  rows: number;
  md5: string;
}

/**
 * What the replay specs look at: each service's read models through its operator endpoint,
 * whether everything stored has reached every read model, and a checksum of each table.
 */
export class ReadModelProbe {
  constructor(
    private readonly db: Client,
    private readonly serviceUrls: Record<BackendService, string>,
  ) {}

  async readModels(service: BackendService): Promise<ReadModelStatus[]> {
    const response = await fetch(`${this.serviceUrls[service]}/ops/read-models`);
    if (response.status !== 200) {
      throw new Error(`${service}: GET /ops/read-models answered ${response.status}`);
    }

    return ((await response.json()) as { readModels: ReadModelStatus[] }).readModels;
  }

  /**
   * Waits until every stored event is on its topic and every read model has read its topics to
   * the end, twice in a row: reactors may append more events in between.
   */
  async settle(timeoutMs = 60_000): Promise<void> {
    const settled = async () => (await this.relayed()) && (await this.caughtUp());
    const deadline = Date.now() + timeoutMs;
    while (!((await settled()) && (await settled()))) {
      if (Date.now() > deadline) {
        throw new Error(`read models not caught up within ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** A checksum of every row of each replayable table of the service, in primary key order. */
  async checksums(service: BackendService): Promise<TableSum[]> {
    const tables = (await this.readModels(service))
      .filter(({ kind }) => kind === 'projection')
      .flatMap(({ tables }) => tables)
      .sort();
    const sums: TableSum[] = [];
    for (const table of tables) {
      const key = await this.primaryKey(table);
      const { rows } = await this.db.query<{ rows: number; md5: string }>(
        `SELECT count(*)::int AS rows,
           md5(coalesce(string_agg(t::text, E'\\n' ORDER BY ${key.join(', ')}), '')) AS md5
         FROM ${table} t`,
      );
      sums.push({ table, ...rows[0] });
    }

    return sums;
  }

  /** Every projection and reactor of every service runs and has read its topics to the end. */
  private async caughtUp(): Promise<boolean> {
    for (const service of BACKEND_SERVICES) {
      const models = await this.readModels(service);
      if (models.some(({ lag, status, running }) => lag !== 0 || status !== 'live' || !running)) {
        return false;
      }
    }

    return true;
  }

  /** Every event each service stored has been published by its outbox relay. */
  private async relayed(): Promise<boolean> {
    const { rows: stores } = await this.db.query<{ schema: string }>(
      `SELECT table_schema AS schema FROM information_schema.tables
       WHERE table_name = 'relay_checkpoints'`,
    );
    for (const { schema } of stores) {
      // The relay publishes in (transaction id, position) order and records the last it sent.
      const { rows } = await this.db.query<{ behind: boolean }>(
        `SELECT EXISTS (SELECT 1 FROM "${schema}".events e
           WHERE (e.transaction_id, e.position) > (
             coalesce((SELECT max(transaction_id) FROM "${schema}".relay_checkpoints), '0'::xid8),
             coalesce((SELECT max(position) FROM "${schema}".relay_checkpoints), 0))) AS behind`,
      );
      if (rows[0].behind) {
        return false;
      }
    }

    return true;
  }

  /** The table's primary key columns; a read model table without one has no defined order. */
  private async primaryKey(table: string): Promise<string[]> {
    const { rows } = await this.db.query<{ column: string }>(
      `SELECT a.attname AS column FROM pg_index i
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
       WHERE i.indrelid = $1::regclass AND i.indisprimary
       ORDER BY array_position(i.indkey, a.attnum)`,
      [table],
    );
    if (rows.length === 0) {
      throw new Error(`read model table ${table} has no primary key`);
    }

    return rows.map(({ column }) => `"${column}"`);
  }
}
