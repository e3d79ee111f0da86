import { Actor } from '@relate/contracts';

import { StoredEvent } from './event-store.types';

/**
 * Columns that make an envelope. `position` comes out as text (a bigint); ORDER BY must name
 * the table's column (`e.position`), or it sorts by this text alias.
 */
export const ENVELOPE_COLUMNS = `position::text AS position, event_id, stream_id, stream_version,
  tenant_id, type, schema_version, occurred_at, recorded_at, actor, correlation_id, causation_id,
  traceparent, data`;

export interface EventRow {
  position: string;
  event_id: string;
  stream_id: string;
  stream_version: number;
  tenant_id: string;
  type: string;
  schema_version: number;
  occurred_at: Date;
  recorded_at: Date;
  actor: Actor;
  correlation_id: string;
  causation_id: string | null;
  traceparent: string | null;
  data: unknown;
}

export function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.event_id,
    type: row.type,
    schemaVersion: row.schema_version,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    tenantId: row.tenant_id,
    occurredAt: row.occurred_at.toISOString(),
    recordedAt: row.recorded_at.toISOString(),
    actor: row.actor,
    correlationId: row.correlation_id,
    causationId: row.causation_id,
    traceparent: row.traceparent,
    data: row.data,
    position: row.position,
  };
}
