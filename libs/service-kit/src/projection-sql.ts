import { EventEnvelope } from '@relate/contracts';
import { RelateError } from '@relate/errors';
import { PoolClient } from 'pg';

/** Fails an event whose schema this build does not know: the runner parks it, the rest flows. */
export function assertKnownSchema(event: EventEnvelope): void {
  if (event.schemaVersion !== 1) {
    throw new RelateError('PROJECTION.UNKNOWN_SCHEMA_VERSION', 'internal', 'Unknown schema', {
      details: { type: event.type, schemaVersion: event.schemaVersion, eventId: event.id },
    });
  }
}

/**
 * Updates one read-model row from an event: the given columns, plus the row's stream version
 * and change time, both taken from the envelope so that a rebuild writes identical rows.
 * Column names come from the projection's own constant maps, never from input.
 */
export async function updateRow(
  client: PoolClient,
  table: string,
  key: Record<string, string>,
  columns: Record<string, unknown>,
  event: EventEnvelope,
): Promise<void> {
  const assignments = { ...columns, version: event.streamVersion, updated_at: event.recordedAt };
  const names = Object.keys(assignments);
  const keyNames = Object.keys(key);
  const set = names.map((name, index) => `${name} = $${index + 1}`).join(', ');
  const where = keyNames.map((name, index) => `${name} = $${names.length + index + 1}`);
  await client.query(`UPDATE ${table} SET ${set} WHERE ${where.join(' AND ')}`, [
    ...Object.values(assignments),
    ...Object.values(key),
  ]);
}

/** {@link updateRow} bound to one row and one event: each call sets the given columns. */
export function rowUpdate(
  client: PoolClient,
  table: string,
  key: Record<string, string>,
  event: EventEnvelope,
): (columns: Record<string, unknown>) => Promise<void> {
  return (columns) => updateRow(client, table, key, columns, event);
}

/** Renames the keys of a partial object through a column map, keeping only mapped keys. */
export function toColumns<T extends object>(
  values: Partial<T>,
  columnOf: Record<keyof T, string>,
): Record<string, unknown> {
  const columns: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(columnOf) as Array<[keyof T, string]>) {
    if (values[field] !== undefined) {
      columns[column] = values[field];
    }
  }

  return columns;
}
