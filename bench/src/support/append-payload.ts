import { CommandContext, NewEvent } from '@relate/contracts';

/**
 * What a command appends: one deal moved to another stage, with the metadata a command
 * carries. Every contender of the append measurements stores this same payload.
 */
export const BENCH_TENANT = 'tenant-bench';
export const DEAL_STREAM_TYPE = 'deal';

export const benchContext: CommandContext = {
  tenantId: BENCH_TENANT,
  actor: { type: 'user', id: 'user-0190a3f4-bench' },
  correlationId: 'corr-0190a3f4-5b6c-7d8e-9f00-bench',
  causationId: 'cmd-0190a3f4-5b6c-7d8e-9f00-bench',
  traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
};

export function dealMovedEvent(streamId: string, version: number): NewEvent {
  return {
    type: 'DealMovedToStage',
    data: {
      dealId: streamId,
      pipelineId: 'pipeline-0190a3f4-5b6c-7d8e-9f00-000000000001',
      fromStageId: `stage-${version % 7}`,
      toStageId: `stage-${(version + 1) % 7}`,
    },
  };
}
