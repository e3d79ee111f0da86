import { Pool } from 'pg';

import { RelateError } from '@relate/errors';

import { parkedEventsSql } from './parked-events';
import { Projection } from './projection';
import { PartitionOffset } from './projection-offsets';
import { MIGRATION_LOCK, progressSql, quoteSchema } from './projection-progress';

/** Where a projection's read model stands, as recorded in `projection_generations`. */
export interface ProjectionGeneration {
  projection: string;
  /** 0 until the first rebuild; each rebuild adds one (and uses a new consumer group). */
  generation: number;
  /** `rebuilding` until the group has passed the targets captured when the rebuild began. */
  status: 'live' | 'rebuilding';
  rebuildId: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  targetOffsets: PartitionOffset[];
}

const TABLE_NAME = /^([a-z_][a-z0-9_]{0,62})\.([a-z_][a-z0-9_]{0,62})$/;

/**
 * The generation records of one schema's projections, and the two state changes of a rebuild.
 * Both are single transactions, so a crash leaves either the old generation (live, untouched)
 * or the new one (`rebuilding`, with empty or partly refilled tables): never a half-built read
 * model marked live.
 */
export class ProjectionGenerations {
  private readonly table: string;

  constructor(
    private readonly pool: Pool,
    private readonly schema: string,
  ) {
    this.table = `${quoteSchema(schema)}.projection_generations`;
  }

  /** Every recorded projection's generation; a projection without a row is at 0, live. */
  async all(): Promise<Map<string, ProjectionGeneration>> {
    const { rows } = await this.pool.query<GenerationRow>(`SELECT * FROM ${this.table}`);

    return new Map(rows.map((row) => [row.projection, toGeneration(row)]));
  }

  async of(projection: string): Promise<ProjectionGeneration> {
    const { rows } = await this.pool.query<GenerationRow>(
      `SELECT * FROM ${this.table} WHERE projection = $1`,
      [projection],
    );

    return rows[0] === undefined ? initial(projection) : toGeneration(rows[0]);
  }

  /**
   * Starts a rebuild: in one transaction, moves the projection to the next generation (marked
   * `rebuilding`, with the targets), drops its tables, deletes its progress rows and its parked
   * events, and creates the tables again. Runners of the old generation are fenced off from then
   * on.
   */
  async beginRebuild(
    projection: Projection,
    rebuildId: string,
    targets: PartitionOffset[],
  ): Promise<ProjectionGeneration> {
    const tables = this.tablesOf(projection);
    const progress = progressSql(this.schema);
    const parked = parkedEventsSql(this.schema);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [MIGRATION_LOCK]);
      const { rows } = await client.query<GenerationRow>(
        `INSERT INTO ${this.table} AS g (projection, generation, status, rebuild_id, started_at,
           finished_at, target_offsets)
         VALUES ($1, 1, 'rebuilding', $2, clock_timestamp(), NULL, $3)
         ON CONFLICT (projection) DO UPDATE SET generation = g.generation + 1,
           status = 'rebuilding', rebuild_id = $2, started_at = clock_timestamp(),
           finished_at = NULL, target_offsets = $3
         RETURNING *`,
        [projection.name, rebuildId, JSON.stringify(targets)],
      );
      await client.query(`DROP TABLE IF EXISTS ${tables.join(', ')}`);
      await client.query(
        `DELETE FROM ${quoteSchema(this.schema)}.projection_stream_versions
         WHERE projection = $1`,
        [projection.name],
      );
      for (const statement of [...progress.migrate, ...parked.migrate]) {
        await client.query(statement);
      }
      // Parked events of the old generation: the new one consumes them again from the start,
      // and parks again whatever still fails. Never retried into tables they did not fail on.
      await client.query(`DELETE FROM ${parked.table} WHERE projection = $1`, [projection.name]);
      await projection.migrate(client);
      await client.query('COMMIT');

      return toGeneration(rows[0]);
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Marks the rebuild of that generation complete; false if another rebuild replaced it. */
  async finishRebuild(projection: string, generation: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE ${this.table} SET status = 'live', finished_at = clock_timestamp()
       WHERE projection = $1 AND generation = $2 AND status = 'rebuilding'`,
      [projection, generation],
    );

    return rowCount === 1;
  }

  /** The projection's tables, checked: qualified, and all in this schema. */
  tablesOf(projection: Projection): string[] {
    const tables = projection.tables ?? [];
    if (tables.length === 0) {
      throw new RelateError(
        'READ_MODELS.TABLES_UNDECLARED',
        'illegal_state',
        'The projection does not declare its tables, so it cannot be rebuilt',
        { details: { projection: projection.name } },
      );
    }
    for (const table of tables) {
      const match = TABLE_NAME.exec(table);
      if (match === null || match[1] !== this.schema) {
        throw new RelateError(
          'READ_MODELS.INVALID_TABLE',
          'illegal_state',
          "A projection's tables must be qualified tables of its service's schema",
          { details: { projection: projection.name, table, schema: this.schema } },
        );
      }
    }

    return tables;
  }
}

interface GenerationRow {
  projection: string;
  generation: number;
  status: 'live' | 'rebuilding';
  rebuild_id: string | null;
  started_at: Date | null;
  finished_at: Date | null;
  target_offsets: PartitionOffset[];
}

function toGeneration(row: GenerationRow): ProjectionGeneration {
  return {
    projection: row.projection,
    generation: row.generation,
    status: row.status,
    rebuildId: row.rebuild_id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    targetOffsets: row.target_offsets,
  };
}

function initial(projection: string): ProjectionGeneration {
  return {
    projection,
    generation: 0,
    status: 'live',
    rebuildId: null,
    startedAt: null,
    finishedAt: null,
    targetOffsets: [],
  };
}
