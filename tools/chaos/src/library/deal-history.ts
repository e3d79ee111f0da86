import { randomUUID } from 'node:crypto';

import { Pool } from 'pg';

import { companyStreamId, dealStreamId, pipelineStreamId, WriteResult } from '@relate/contracts';

import { E2eStack } from '../../../../apps/gateway/src/testing/e2e-stack';

export interface DealHistoryLoad {
  companies: number;
  deals: number;
  /** At most this many changes per deal after its opening. */
  maxChangesPerDeal: number;
  /** Deals worked on at once. */
  concurrency: number;
}

export interface DealHistory {
  /** Commands answered 2xx. */
  acknowledged: number;
  /** Of those, commands of the pipeline (pipelines and deals), whose events its topic holds. */
  pipelineAcknowledged: number;
  /** Commands answered otherwise (a business refusal is fine; the count is shown). */
  refused: number;
  /** The highest version a 2xx answered for each stream, by the context that stores it. */
  acknowledgedVersions: Record<'contacts' | 'pipeline', Map<string, number>>;
}

type Api = ReturnType<E2eStack['as']>;

/**
 * A realistic stretch of sales work through the gateway: companies registered, a pipeline
 * defined, deals opened for them and moved through stages, renamed, revalued, won or lost.
 * Works on `load.deals` deals, or fewer if `keepGoing` says stop first.
 */
export async function makeDealHistory(
  stack: E2eStack,
  load: DealHistoryLoad,
  keepGoing: () => boolean = () => true,
): Promise<DealHistory> {
  const api = stack.as('a');
  const tenant = stack.tenants.a;
  const history: DealHistory = {
    acknowledged: 0,
    pipelineAcknowledged: 0,
    refused: 0,
    acknowledgedVersions: { contacts: new Map(), pipeline: new Map() },
  };
  const send = async (
    request: ReturnType<Api['post']>,
    context: 'contacts' | 'pipeline' = 'pipeline',
    streamOf: (id: string) => string = (id) => dealStreamId(tenant, id),
  ): Promise<boolean> => {
    const response = await request;
    const ok = response.status >= 200 && response.status < 300;
    history[ok ? 'acknowledged' : 'refused'] += 1;
    if (ok) {
      const { id, version } = response.body as WriteResult;
      const versions = history.acknowledgedVersions[context];
      const stream = streamOf(id);
      versions.set(stream, Math.max(versions.get(stream) ?? 0, version));
    }

    return ok;
  };
  // Every change sets a value no earlier change set, so that each one makes an event.
  let nextValue = 500;
  const companies = Array.from({ length: load.companies }, () => randomUUID());
  for (const [index, id] of companies.entries()) {
    const company = { id, name: `Company ${index}`, sector: 'software' };
    await send(api.post('/companies', company), 'contacts', (c) => companyStreamId(tenant, c));
  }
  const registered = history.acknowledged;
  const openStages = [randomUUID(), randomUUID(), randomUUID()];
  const pipelineId = randomUUID();
  await send(
    api.post('/pipelines', {
      id: pipelineId,
      name: 'Chaos sales',
      stages: [
        ...openStages.map((id, i) => ({ id, name: `Stage ${i}`, kind: 'open', probability: 20 })),
        { id: randomUUID(), name: 'Won', kind: 'won' },
        { id: randomUUID(), name: 'Lost', kind: 'lost' },
      ],
    }),
    'pipeline',
    (id) => pipelineStreamId(tenant, id),
  );
  const work = async (deal: number): Promise<void> => {
    const id = randomUUID();
    const opened = await send(
      api.post('/deals', {
        id,
        title: `Deal ${deal}`,
        pipelineId,
        companyId: companies[deal % companies.length],
        value: 1000 + deal,
        expectedCloseDate: '2026-09-30',
      }),
    );
    let stage = 0;
    const changes = opened ? 1 + Math.floor(Math.random() * load.maxChangesPerDeal) : 0;
    for (let change = 0; change < changes; change++) {
      const pick = Math.random();
      if (pick < 0.4) {
        stage = (stage + 1 + Math.floor(Math.random() * 2)) % openStages.length;
        await send(api.post(`/deals/${id}/stage`, { stageId: openStages[stage] }));
      } else if (pick < 0.7) {
        await send(api.patch(`/deals/${id}`, { value: nextValue++ }));
      } else if (pick < 0.85) {
        await send(api.patch(`/deals/${id}`, { title: `Deal ${deal}, take ${change}` }));
      } else {
        const won = Math.random() < 0.6;
        await send(
          won
            ? api.post(`/deals/${id}/won`, { value: 2000 + deal })
            : api.post(`/deals/${id}/lost`, { reason: 'Price' }),
        );

        return;
      }
    }
  };
  let next = 0;
  const worker = async () => {
    while (next < load.deals && keepGoing()) {
      await work(next++);
    }
  };
  await Promise.all(Array.from({ length: load.concurrency }, worker));
  history.pipelineAcknowledged = history.acknowledged - registered;

  return history;
}

/** Events the acknowledged commands made: each stream's versions up to the highest answered. */
export function acknowledgedEvents(versions: Map<string, number>): number {
  return [...versions.values()].reduce((sum, version) => sum + version, 0);
}

/**
 * Acknowledged events missing from a context's event store: for each stream, the versions
 * answered to a client that the store does not hold.
 */
export async function missingFromStore(
  databaseUrl: string,
  schema: 'contacts' | 'pipeline',
  versions: Map<string, number>,
): Promise<number> {
  const pool = new Pool({ connectionString: databaseUrl, max: 1 });
  try {
    const { rows } = await pool.query<{ stream_id: string; versions: number }>(
      `SELECT stream_id, count(*)::int AS versions FROM ${schema}.events
       WHERE stream_id = ANY ($1::text[]) GROUP BY stream_id`,
      [[...versions.keys()]],
    );
    const stored = new Map(rows.map((row) => [row.stream_id, row.versions]));

    return [...versions].reduce(
      (sum, [stream, version]) => sum + Math.max(0, version - (stored.get(stream) ?? 0)),
      0,
    );
  } finally {
    await pool.end();
  }
}
