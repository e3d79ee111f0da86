import { randomUUID } from 'node:crypto';

import { context, trace } from '@opentelemetry/api';
import { PoolClient } from 'pg';

import { EventEnvelope } from '@relate/contracts';
import { RelateError } from '@relate/errors';

import { KafkaSettings } from '../kafka-client';
import { Projection } from '../projection';

/**
 * Test support: a read model of running totals per stream. Its apply is not idempotent on its
 * own (it adds), so only the runner's progress check keeps redeliveries from changing rows.
 * `Poison` events fail permanently until `cure()` (the fix an operator deploys); `Flaky` ones
 * fail retriably `failTimes` times.
 */
export class NotesProjection implements Projection {
  readonly name = 'notes';
  readonly tables: string[];
  readonly seenSpanContexts: Array<{ traceId: string; spanId: string } | undefined> = [];
  private readonly flakyFailures = new Map<string, number>();
  private cured = false;

  constructor(
    readonly topics: string[],
    private readonly schema: string,
  ) {
    this.tables = [`${schema}.notes`];
  }

  /** From now on `Poison` events apply like notes. */
  cure(): void {
    this.cured = true;
  }

  async migrate(client: PoolClient): Promise<void> {
    await client.query(`CREATE TABLE IF NOT EXISTS ${this.schema}.notes (
      stream_id text PRIMARY KEY,
      tenant_id text NOT NULL,
      last_version integer NOT NULL,
      total integer NOT NULL
    )`);
  }

  async apply(event: EventEnvelope, client: PoolClient): Promise<void> {
    const spanContext = trace.getSpanContext(context.active());
    this.seenSpanContexts.push(spanContext && { ...spanContext });
    const data = event.data as { n?: number; failTimes?: number };
    if (event.type === 'Poison' && !this.cured) {
      throw new RelateError('SPEC.POISON', 'validation', 'This event can never apply');
    }
    if (event.type === 'Flaky') {
      const failed = this.flakyFailures.get(event.id) ?? 0;
      if (failed < (data.failTimes ?? 0)) {
        this.flakyFailures.set(event.id, failed + 1);
        throw new RelateError('SPEC.FLAKY', 'internal', 'Not yet', { retriable: true });
      }
    }
    await client.query(
      `INSERT INTO ${this.schema}.notes (stream_id, tenant_id, last_version, total)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (stream_id) DO UPDATE
       SET last_version = EXCLUDED.last_version, total = notes.total + EXCLUDED.total`,
      [event.streamId, event.tenantId, event.streamVersion, data.n ?? 0],
    );
  }
}

export function testKafkaSettings(clientId: string): KafkaSettings {
  const brokers = process.env.RELATE_TEST_KAFKA_BROKERS;
  if (!brokers) {
    throw new Error('RELATE_TEST_KAFKA_BROKERS is not set: run the tests through jest');
  }

  return { brokers: brokers.split(','), clientId };
}

export function noteEvent(
  streamId: string,
  streamVersion: number,
  data: Record<string, unknown> = { n: 1 },
  overrides: Partial<EventEnvelope> = {},
): EventEnvelope {
  return {
    id: randomUUID(),
    type: 'NoteAdded',
    schemaVersion: 1,
    streamId,
    streamVersion,
    tenantId: 'tenant-a',
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    actor: { type: 'system', id: 'spec' },
    correlationId: 'corr',
    causationId: null,
    traceparent: null,
    data,
    ...overrides,
  };
}
