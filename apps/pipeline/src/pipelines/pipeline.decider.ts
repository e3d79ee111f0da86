import {
  INITIAL_SCHEMA_VERSION,
  NewEventOf,
  PipelineDefinitionEvent,
  PipelineEventDataMap,
  StageDefinition,
  StageKind,
} from '@relate/contracts';
import { assertUnreachable, FieldViolation, RelateError } from '@relate/errors';
import { Decider } from '@relate/service-kit';

import { assertNoViolations, pipelineAlreadyExists } from '../pipeline.errors';

export type PipelineCommand = {
  type: 'DefinePipeline';
  pipelineId: string;
  name: string;
  stages: StageDefinition[];
  isDefault: boolean;
};

export interface PipelineState {
  defined: boolean;
  pipelineId: string;
  name: string;
  stages: StageDefinition[];
}

export const initialPipelineState: PipelineState = {
  defined: false,
  pipelineId: '',
  name: '',
  stages: [],
};

export function findStage(pipeline: PipelineState, stageId: string): StageDefinition | undefined {
  return pipeline.stages.find((stage) => stage.stageId === stageId);
}

/** The one stage of a kind; a defined pipeline has exactly one won and one lost stage. */
export function stageOfKind(pipeline: PipelineState, kind: StageKind): StageDefinition {
  const stage = pipeline.stages.find((candidate) => candidate.kind === kind);
  if (!stage) {
    throw new RelateError(
      'PIPELINE.STAGE_MISSING',
      'internal',
      `The pipeline has no ${kind} stage`,
      {
        details: { pipelineId: pipeline.pipelineId },
      },
    );
  }

  return stage;
}

function countOf(stages: StageDefinition[], kind: StageKind): number {
  return stages.filter((stage) => stage.kind === kind).length;
}

function stageViolations(stages: StageDefinition[]): FieldViolation[] {
  const violations: FieldViolation[] = [];
  if (countOf(stages, 'open') < 1) {
    violations.push({ field: 'stages', reason: 'needs at least one open stage' });
  }
  for (const kind of ['won', 'lost'] as const) {
    if (countOf(stages, kind) !== 1) {
      violations.push({ field: 'stages', reason: `needs exactly one ${kind} stage` });
    }
  }
  const names = new Set<string>();
  const ids = new Set<string>();
  stages.forEach((stage, index) => {
    const name = stage.name.trim().toLowerCase();
    if (name === '') {
      violations.push({ field: `stages.${index}.name`, reason: 'must not be empty' });
    } else if (names.has(name)) {
      violations.push({ field: `stages.${index}.name`, reason: 'must be unique in the pipeline' });
    }
    if (ids.has(stage.stageId)) {
      violations.push({ field: `stages.${index}.id`, reason: 'must be unique in the pipeline' });
    }
    const probability = stage.probability;
    if (probability !== null && (probability < 0 || probability > 100)) {
      violations.push({ field: `stages.${index}.probability`, reason: 'must be 0 to 100' });
    }
    names.add(name);
    ids.add(stage.stageId);
  });

  return violations;
}

function decide(command: PipelineCommand, state: PipelineState) {
  if (state.defined) {
    throw pipelineAlreadyExists('Pipeline', command.pipelineId);
  }
  const nameViolations =
    command.name.trim() === '' ? [{ field: 'name', reason: 'must not be empty' }] : [];
  assertNoViolations([...nameViolations, ...stageViolations(command.stages)]);
  const defined: NewEventOf<PipelineEventDataMap, 'PipelineDefined'> = {
    type: 'PipelineDefined',
    schemaVersion: INITIAL_SCHEMA_VERSION,
    data: {
      pipelineId: command.pipelineId,
      name: command.name.trim(),
      stages: command.stages.map((stage) => ({ ...stage, name: stage.name.trim() })),
      isDefault: command.isDefault,
    },
  };

  return [defined];
}

function evolve(_state: PipelineState, event: PipelineDefinitionEvent): PipelineState {
  switch (event.type) {
    case 'PipelineDefined': {
      const { pipelineId, name, stages } = event.data;

      return { defined: true, pipelineId, name, stages };
    }
    default:
      return assertUnreachable(event.type);
  }
}

export const pipelineDecider: Decider<PipelineCommand, PipelineState, PipelineDefinitionEvent> = {
  initialState: initialPipelineState,
  decide,
  evolve,
};
