import { Pool } from 'pg';

import {
  CommandContext,
  dealStreamId,
  NewEvent,
  PipelineStreams,
  pipelineStreamId,
} from '@relate/contracts';
import { PostgresEventStore, uuidV7Ids } from '@relate/event-store';
import { foldEvents } from '@relate/service-kit';

import {
  DealCommand as DealDecision,
  dealDecider,
} from '../../../apps/pipeline/src/deals/deal.decider';
import { openDealCommand } from '../../../apps/pipeline/src/deals/deals.service';
import {
  pipelineDecider,
  PipelineState,
} from '../../../apps/pipeline/src/pipelines/pipeline.decider';
import { inFlight } from '../harness/rounds';
import { DealCommand, DealStep } from '../../../tools/import/src/import.plan';

export interface BulkTarget {
  databaseUrl: string;
  tenantId: string;
  pipelineId: string;
}

export interface BulkOutcome {
  deals: number;
  events: number;
  ms: number;
}

/**
 * Writes the deals of an import plan as the pipeline service would: each deal's commands go
 * through the service's own decider (the same rules, the same events), and the deal's events
 * are appended to its stream in one batched append of the service's event store, from where the
 * outbox relay publishes them and every projection builds its read model as from the API. What
 * this skips is HTTP, the gateway and one append per command. The pipeline, its stages and
 * everything a deal refers to must exist already (the import creates them through the API).
 */
export async function appendDealsInBulk(
  target: BulkTarget,
  deals: readonly DealCommand[],
  options: { concurrency: number },
): Promise<BulkOutcome> {
  const started = Date.now();
  const pool = new Pool({ connectionString: target.databaseUrl, max: options.concurrency });
  pool.on('error', () => undefined);
  // No NOTIFY per append: the relay finds bulk-loaded events by its poll, as the store advises.
  const store = new PostgresEventStore(pool, { schema: 'pipeline', notify: false });
  let events = 0;
  try {
    const definition = await store.readStream(
      target.tenantId,
      pipelineStreamId(target.tenantId, target.pipelineId),
    );
    const pipeline = foldEvents(pipelineDecider, definition as never[]);
    const actor = definition[0]?.actor ?? { type: 'user', id: 'bench' };
    await inFlight(options.concurrency, deals.length, async (index) => {
      const deal = deals[index];
      const context: CommandContext = {
        tenantId: target.tenantId,
        actor,
        correlationId: uuidV7Ids.next(),
      };
      const decided = decideDeal(deal, pipeline);
      await store.append(
        dealStreamId(target.tenantId, deal.body.id),
        PipelineStreams.deal.type,
        decided,
        { expectedVersion: 'no_stream', context },
      );
      events += decided.length;
    });
  } finally {
    await pool.end();
  }

  return { deals: deals.length, events, ms: Date.now() - started };
}

/** The deal's events: its opening and each step, decided in order on the evolving state. */
function decideDeal(deal: DealCommand, pipeline: PipelineState): NewEvent[] {
  const stageId = (name: string) => {
    const stage = pipeline.stages.find((candidate) => candidate.name === name);
    if (!stage) throw new Error(`pipeline ${pipeline.pipelineId} has no stage ${name}`);

    return stage.stageId;
  };
  const { body } = deal;
  const commands: DealDecision[] = [
    openDealCommand(body.id, { ...body, stageId: stageId(deal.openStage) }, pipeline),
    ...deal.steps.map((step) => stepCommand(body.id, pipeline, step, stageId)),
  ];
  let state = dealDecider.initialState;
  const events: NewEvent[] = [];
  for (const command of commands) {
    const decided = dealDecider.decide(command, state, new Date());
    state = decided.reduce((next, event) => dealDecider.evolve(next, event as never), state);
    events.push(...decided);
  }

  return events;
}

function stepCommand(
  dealId: string,
  pipeline: PipelineState,
  step: DealStep,
  stageId: (name: string) => string,
): DealDecision {
  switch (step.kind) {
    case 'move':
      return {
        type: 'MoveDealToStage',
        dealId,
        pipeline,
        stageId: stageId(step.stage),
        occurredAt: step.occurredAt,
      };
    case 'won':
      return {
        type: 'MarkDealWon',
        dealId,
        pipeline,
        value: step.value,
        occurredAt: step.occurredAt,
      };
    case 'lost':
      return {
        type: 'MarkDealLost',
        dealId,
        pipeline,
        reason: step.reason,
        occurredAt: step.occurredAt,
      };
  }
}
