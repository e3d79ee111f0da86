import { StageDefinition } from '@relate/contracts';
import { deciderSpecification } from '@relate/service-kit';

import { defaultPipelineId, defineDefaultPipeline } from './default-pipeline';
import { pipelineDecider } from './pipeline.decider';

const pipelineId = '0190a0b0-0000-7000-8000-0000000000f1';

const stage = (name: string, kind: StageDefinition['kind'] = 'open'): StageDefinition => ({
  stageId: `stage-${name.toLowerCase()}`,
  name,
  kind,
  probability: null,
});

describe('pipelineDecider', () => {
  const spec = deciderSpecification(pipelineDecider);
  const stages = [
    stage('Prospecting'),
    stage('Engaging'),
    stage('Won', 'won'),
    stage('Lost', 'lost'),
  ];

  it('defines a pipeline with its ordered stages', () => {
    spec
      .given([])
      .when({ type: 'DefinePipeline', pipelineId, name: ' Sales ', stages, isDefault: false })
      .then([
        { type: 'PipelineDefined', data: { pipelineId, name: 'Sales', stages, isDefault: false } },
      ]);
  });

  it('refuses a pipeline without open stage or with two won stages, naming each rule', () => {
    spec
      .given([])
      .when({
        type: 'DefinePipeline',
        pipelineId,
        name: 'Sales',
        stages: [stage('Won', 'won'), stage('Also won', 'won'), stage('Lost', 'lost')],
        isDefault: false,
      })
      .thenThrows({
        code: 'PIPELINE.VALIDATION_FAILED',
        category: 'validation',
        violations: [
          { field: 'stages', reason: 'needs at least one open stage' },
          { field: 'stages', reason: 'needs exactly one won stage' },
        ],
      });
  });

  it('refuses stage names that repeat, whatever their case', () => {
    spec
      .given([])
      .when({
        type: 'DefinePipeline',
        pipelineId,
        name: 'Sales',
        stages: [stage('Lead'), { ...stage('lead '), stageId: 'other' }, ...stages.slice(2)],
        isDefault: false,
      })
      .thenThrows({
        category: 'validation',
        code: 'PIPELINE.VALIDATION_FAILED',
        violations: [{ field: 'stages.1.name', reason: 'must be unique in the pipeline' }],
      });
  });

  it('refuses to define the same pipeline twice', () => {
    spec
      .given([
        { type: 'PipelineDefined', data: { pipelineId, name: 'S', stages, isDefault: false } },
      ])
      .when({ type: 'DefinePipeline', pipelineId, name: 'S', stages, isDefault: false })
      .thenThrows({ code: 'PIPELINE.ALREADY_EXISTS', category: 'conflict' });
  });

  describe(defineDefaultPipeline.name, () => {
    it('gives each tenant its own default pipeline with stable ids', () => {
      const first = defineDefaultPipeline('tenant-a');

      expect(defineDefaultPipeline('tenant-a')).toEqual(first);
      expect(defaultPipelineId('tenant-b')).not.toEqual(first.pipelineId);
      expect(first.stages.map((s) => `${s.name}:${s.kind}`)).toEqual([
        'Lead:open',
        'Qualified:open',
        'Proposal:open',
        'Negotiation:open',
        'Won:won',
        'Lost:lost',
      ]);
    });

    it('passes the pipeline rules', () => {
      expect(() =>
        pipelineDecider.decide(
          defineDefaultPipeline('t'),
          pipelineDecider.initialState,
          new Date(),
        ),
      ).not.toThrow();
    });
  });
});
