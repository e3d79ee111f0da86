import { BACKEND_SERVICES } from '@relate/config';

import type { ChaosStack } from '../../../tools/chaos/src/support/chaos-stack';

interface ReadModelRow {
  name: string;
  status: string;
  lag: number | null;
  parkedEvents: number;
}

export interface Completion {
  /** Milliseconds from the call until the system was complete. */
  waitedMs: number;
  /** Events parked by any read model meanwhile: they count as applied, but say so. */
  parkedEvents: number;
  /** Events in the services' event stores when it was complete. */
  storedEvents: number;
  /** Each read model (`service/name`) and when it first caught up, the last first. */
  caughtUp: Array<{ readModel: string; ms: number }>;
}

/**
 * Waits until every read model is complete, which here means, in one check: every event store's
 * outbox is published (no event after its relay's checkpoint), then every projection and reactor
 * of every service is `live` with a lag of 0 (its group's committed offsets are the topics' ends),
 * then the outboxes are still published (nothing a reactor wrote meanwhile is left).
 */
export async function waitUntilComplete(
  stack: ChaosStack,
  options: { timeoutMs: number; pollMs?: number },
): Promise<Completion> {
  const started = Date.now();
  const schemas = await eventStoreSchemas(stack);
  const caughtUp = new Map<string, number>();
  for (;;) {
    if (await outboxesPublished(stack, schemas)) {
      const models = await readModels(stack);
      const done = (m: ReadModelRow) => m.status === 'live' && m.lag === 0;
      for (const model of models.filter(done)) {
        if (!caughtUp.has(model.name)) caughtUp.set(model.name, Date.now() - started);
      }
      if (models.every(done) && (await outboxesPublished(stack, schemas))) {
        return {
          waitedMs: Date.now() - started,
          parkedEvents: models.reduce((sum, m) => sum + m.parkedEvents, 0),
          storedEvents: await storedEvents(stack, schemas),
          caughtUp: [...caughtUp]
            .map(([readModel, ms]) => ({ readModel, ms }))
            .sort((a, b) => b.ms - a.ms),
        };
      }
    }
    if (Date.now() - started > options.timeoutMs) {
      throw new Error(`read models not complete after ${options.timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 500));
  }
}

async function eventStoreSchemas(stack: ChaosStack): Promise<string[]> {
  const rows = await stack.sql<{ schema: string }>(
    `SELECT table_schema AS schema FROM information_schema.tables
      WHERE table_name = 'relay_checkpoints' ORDER BY table_schema`,
  );

  return rows.map((row) => row.schema);
}

async function outboxesPublished(stack: ChaosStack, schemas: string[]): Promise<boolean> {
  for (const schema of schemas) {
    // The row comparison with the relay's checkpoint is a range scan of the relay's own index.
    const [waiting] = await stack.sql<{ waiting: boolean }>(
      `SELECT EXISTS (
         SELECT 1 FROM "${schema}".events e
          WHERE (e.transaction_id, e.position) > (
            SELECT c.transaction_id, c.position FROM "${schema}".relay_checkpoints c
             UNION ALL SELECT '0'::xid8, 0
             ORDER BY 1 DESC, 2 DESC LIMIT 1)) AS waiting`,
    );
    if (waiting.waiting) return false;
  }

  return true;
}

async function readModels(stack: ChaosStack): Promise<ReadModelRow[]> {
  const answers = await Promise.all(
    BACKEND_SERVICES.map(async (service) => {
      const response = await fetch(`${stack.url(service)}/ops/read-models`);
      if (!response.ok) throw new Error(`${service} /ops/read-models answered ${response.status}`);

      const { readModels } = (await response.json()) as { readModels: ReadModelRow[] };

      return readModels.map((model) => ({ ...model, name: `${service}/${model.name}` }));
    }),
  );

  return answers.flat();
}

async function storedEvents(stack: ChaosStack, schemas: string[]): Promise<number> {
  const counts = await Promise.all(
    schemas.map(async (schema) => {
      const [row] = await stack.sql<{ count: string }>(`SELECT count(*) FROM "${schema}".events`);

      return Number(row.count);
    }),
  );

  return counts.reduce((sum, count) => sum + count, 0);
}
