import { StageDefinition, StageKind } from '@relate/contracts';
import { v5 as uuidv5 } from 'uuid';

import { PipelineCommand } from './pipeline.decider';

// A fixed namespace makes the default pipeline's ids a pure function of the tenant id, so that
// "create on first use" is idempotent across restarts and concurrent first requests.
const DEFAULT_PIPELINE_NAMESPACE = '6f1c2b1e-5d0a-4c52-9a43-1f7e4f0c2d11';

const DEFAULT_STAGES: Array<{ name: string; kind: StageKind; probability: number }> = [
  { name: 'Lead', kind: 'open', probability: 10 },
  { name: 'Qualified', kind: 'open', probability: 25 },
  { name: 'Proposal', kind: 'open', probability: 50 },
  { name: 'Negotiation', kind: 'open', probability: 75 },
  { name: 'Won', kind: 'won', probability: 100 },
  { name: 'Lost', kind: 'lost', probability: 0 },
];

export function defaultPipelineId(tenantId: string): string {
  return uuidv5(`tenant:${tenantId}:default-pipeline`, DEFAULT_PIPELINE_NAMESPACE);
}

export function defineDefaultPipeline(tenantId: string): PipelineCommand {
  const pipelineId = defaultPipelineId(tenantId);
  const stages: StageDefinition[] = DEFAULT_STAGES.map((stage) => ({
    stageId: uuidv5(`${pipelineId}:stage:${stage.name}`, DEFAULT_PIPELINE_NAMESPACE),
    ...stage,
  }));

  return { type: 'DefinePipeline', pipelineId, name: 'Sales pipeline', stages, isDefault: true };
}
