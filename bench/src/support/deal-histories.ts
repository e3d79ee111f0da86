import { randomUUID } from 'node:crypto';

import {
  Actor,
  dealStreamId,
  EventEnvelope,
  NewEvent,
  PipelineDefinedData,
  pipelineStreamId,
} from '@relate/contracts';

import { MAVEN_STAGES } from '../../../tools/import/src/import.plan';
import { SeededRandom } from '../data/seeded-random';

/** One stream's events, as a service would append them (the store gives identity and time). */
export interface StreamHistory {
  streamId: string;
  streamType: string;
  events: NewEvent[];
}

export interface DealHistoriesOptions {
  tenantId: string;
  deals: number;
  /** The same seed gives the same histories, event for event. */
  seed?: number;
}

export const BENCH_PIPELINE_ID = 'bench-pipeline';
// The stages of the Maven data set, which the generated CRM data set (measurements 10 and 11)
// resamples: every generated deal moves through the same pipeline.
const STAGES = MAVEN_STAGES.filter(({ kind }) => kind === 'open').map(({ name }) => name);
const WON = stageOf('won');
const LOST = stageOf('lost');
const OWNERS = Array.from({ length: 12 }, (_, index) => `rep-${index + 1}`);
const LOST_REASONS = ['price', 'timing', 'competitor', 'no decision'];
export const BENCH_ACTOR: Actor = { type: 'user', id: 'bench' };

/** The pipeline the generated deals move through: the Maven data set's open stages, won, lost. */
export function benchPipeline(tenantId: string): StreamHistory {
  const data: PipelineDefinedData = {
    pipelineId: BENCH_PIPELINE_ID,
    name: 'Bench pipeline',
    isDefault: false,
    stages: [
      ...STAGES.map((name, index) => ({
        stageId: name,
        name,
        kind: 'open' as const,
        probability: 10 + index * 20,
      })),
      { stageId: WON, name: WON, kind: 'won', probability: 100 },
      { stageId: LOST, name: LOST, kind: 'lost', probability: 0 },
    ],
  };

  return {
    streamId: pipelineStreamId(tenantId, BENCH_PIPELINE_ID),
    streamType: 'Pipeline',
    events: [{ type: 'PipelineDefined', data }],
  };
}

/**
 * Deals with the shape of a sales pipeline: each opened, moved through a few stages, its value
 * changed now and then, most of them won or lost; one to four events a deal. Seeded, so that a
 * figure can be measured again on the same data.
 */
export function dealHistories(options: DealHistoriesOptions): StreamHistory[] {
  const generator = new SeededRandom(options.seed ?? 1);
  const random = () => generator.next();
  const pick = <T>(items: readonly T[]): T => generator.pick(items);

  return Array.from({ length: options.deals }, (_, index) => {
    const dealId = `deal-${String(index + 1).padStart(7, '0')}`;
    const value = Math.round(random() * 50_000) + 500;
    const opened = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 300) * 86_400_000);
    const events: NewEvent[] = [
      {
        type: 'DealOpened',
        occurredAt: opened.toISOString(),
        data: {
          dealId,
          title: `Deal ${index + 1} for account ${Math.floor(random() * 800)}`,
          pipelineId: BENCH_PIPELINE_ID,
          stageId: STAGES[0],
          companyId: `company-${Math.floor(random() * 800)}`,
          personId: null,
          ownerId: pick(OWNERS),
          productId: null,
          value,
          currency: 'USD',
          expectedCloseDate: new Date(opened.getTime() + 60 * 86_400_000)
            .toISOString()
            .slice(0, 10),
        },
      },
    ];
    let stage = 0;
    for (const moves = Math.floor(random() * STAGES.length); stage < moves; stage += 1) {
      const move = { dealId, pipelineId: BENCH_PIPELINE_ID, fromStageId: STAGES[stage] };
      events.push({ type: 'DealMovedToStage', data: { ...move, toStageId: STAGES[stage + 1] } });
    }
    if (random() < 0.3) {
      const previousValue = value;
      const changed = { value: Math.round(value * (0.5 + random())), previousValue };
      events.push({ type: 'DealValueChanged', data: { dealId, ...changed, currency: 'USD' } });
    }
    const ending = random();
    const close = { dealId, pipelineId: BENCH_PIPELINE_ID, fromStageId: STAGES[stage] };
    if (ending < 0.45) {
      events.push({
        type: 'DealWon',
        data: { ...close, stageId: WON, value, currency: 'USD' },
      });
    } else if (ending < 0.85) {
      events.push({
        type: 'DealLost',
        data: { ...close, stageId: LOST, reason: pick(LOST_REASONS) },
      });
    }

    return { streamId: dealStreamId(options.tenantId, dealId), streamType: 'Deal', events };
  });
}

/**
 * The histories as the relay would put them on a topic: stream by stream, each event in an
 * envelope with its stream version, as if the store had just recorded it.
 */
export function toEnvelopes(histories: StreamHistory[], tenantId: string): EventEnvelope[] {
  const recordedAt = new Date().toISOString();

  return histories.flatMap(({ streamId, events }) =>
    events.map((event, index) => ({
      id: randomUUID(),
      type: event.type,
      schemaVersion: event.schemaVersion ?? 1,
      streamId,
      streamVersion: index + 1,
      tenantId,
      occurredAt: event.occurredAt ?? recordedAt,
      recordedAt,
      actor: BENCH_ACTOR,
      correlationId: randomUUID(),
      causationId: null,
      traceparent: null,
      data: event.data,
    })),
  );
}

function stageOf(kind: 'won' | 'lost'): string {
  return MAVEN_STAGES.find((stage) => stage.kind === kind)?.name ?? kind;
}

export function eventCount(histories: StreamHistory[]): number {
  return histories.reduce((sum, { events }) => sum + events.length, 0);
}
