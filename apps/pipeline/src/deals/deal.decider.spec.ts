import { DealEvent, DealOpenedData, StageDefinition } from '@relate/contracts';
import { deciderSpecification } from '@relate/service-kit';

import { PipelineState } from '../pipelines/pipeline.decider';
import { DealCommand, dealDecider } from './deal.decider';

const now = new Date('2026-03-02T10:00:00.000Z');
const dealId = '0190a0b0-0000-7000-8000-0000000000d1';
const pipelineId = '0190a0b0-0000-7000-8000-0000000000f1';

const stage = (stageId: string, kind: StageDefinition['kind'] = 'open'): StageDefinition => ({
  stageId,
  name: stageId,
  kind,
  probability: null,
});

const pipeline: PipelineState = {
  defined: true,
  pipelineId,
  name: 'Sales',
  stages: [stage('prospecting'), stage('engaging'), stage('won', 'won'), stage('lost', 'lost')],
};

const opened = (overrides: Partial<DealOpenedData> = {}): DealEvent => ({
  type: 'DealOpened',
  data: {
    dealId,
    title: 'GTX Pro for Acme',
    pipelineId,
    stageId: 'prospecting',
    companyId: 'company-1',
    personId: null,
    ownerId: 'rep-1',
    productId: null,
    value: 1000,
    currency: 'USD',
    expectedCloseDate: '2026-06-30',
    ...overrides,
  },
});

const won: DealEvent = {
  type: 'DealWon',
  data: {
    dealId,
    pipelineId,
    fromStageId: 'prospecting',
    stageId: 'won',
    value: 1000,
    currency: 'USD',
  },
};

const openDeal = (overrides: Partial<Extract<DealCommand, { type: 'OpenDeal' }>> = {}) =>
  ({
    type: 'OpenDeal',
    dealId,
    title: 'GTX Pro for Acme',
    pipeline,
    stageId: null,
    companyId: 'company-1',
    personId: null,
    ownerId: 'rep-1',
    productId: null,
    value: 1000,
    currency: 'USD',
    expectedCloseDate: '2026-06-30',
    ...overrides,
  }) as const;

describe('dealDecider', () => {
  const spec = deciderSpecification(dealDecider, now);

  describe('OpenDeal', () => {
    it('opens in the first open stage at the given business time', () => {
      spec
        .given([])
        .when(openDeal({ occurredAt: '2025-01-05T00:00:00Z' }))
        .then([{ ...opened(), occurredAt: '2025-01-05T00:00:00.000Z' }]);
    });

    it('stamps now when no business time is given', () => {
      spec
        .given([])
        .when(openDeal({ stageId: 'engaging' }))
        .then([{ ...opened({ stageId: 'engaging' }), occurredAt: now.toISOString() }]);
    });

    it('refuses a stage of another pipeline, a negative value and a future date together', () => {
      spec
        .given([])
        .when(openDeal({ stageId: 'elsewhere', value: -5 }))
        .thenThrows({
          code: 'PIPELINE.VALIDATION_FAILED',
          category: 'validation',
          violations: [
            { field: 'value', reason: 'must not be negative' },
            { field: 'stageId', reason: 'is not a stage of the deal’s pipeline' },
          ],
        });
      spec
        .given([])
        .when(openDeal({ occurredAt: '2026-03-02T11:00:00Z' }))
        .thenThrows({ code: 'PIPELINE.VALIDATION_FAILED', category: 'validation' });
    });

    it('refuses to open a deal in a closed stage', () => {
      spec
        .given([])
        .when(openDeal({ stageId: 'won' }))
        .thenThrows({
          code: 'PIPELINE.VALIDATION_FAILED',
          category: 'validation',
          violations: [{ field: 'stageId', reason: 'a deal opens in an open stage' }],
        });
    });

    it('answers already exists for an id in use', () => {
      spec
        .given([opened()])
        .when(openDeal())
        .thenThrows({ code: 'PIPELINE.ALREADY_EXISTS', category: 'conflict' });
    });
  });

  describe('MoveDealToStage', () => {
    const move = (stageId: string): DealCommand => ({
      type: 'MoveDealToStage',
      dealId,
      pipeline,
      stageId,
      occurredAt: '2025-02-01T00:00:00Z',
    });

    it('moves an open deal to another stage of its pipeline', () => {
      spec
        .given([opened()])
        .when(move('engaging'))
        .then([
          {
            type: 'DealMovedToStage',
            data: { dealId, pipelineId, fromStageId: 'prospecting', toStageId: 'engaging' },
            occurredAt: '2025-02-01T00:00:00.000Z',
          },
        ]);
    });

    it('records nothing when the deal is already in that stage', () => {
      spec.given([opened()]).when(move('prospecting')).then([]);
    });

    it('refuses a stage outside the pipeline', () => {
      spec
        .given([opened()])
        .when(move('nowhere'))
        .thenThrows({ code: 'PIPELINE.VALIDATION_FAILED', category: 'validation' });
    });

    it('marks the deal won when moved onto the won stage', () => {
      spec
        .given([opened()])
        .when(move('won'))
        .then([{ ...won, occurredAt: '2025-02-01T00:00:00.000Z' }]);
    });

    it('refuses the lost stage, which needs a reason', () => {
      spec
        .given([opened()])
        .when(move('lost'))
        .thenThrows({ code: 'PIPELINE.VALIDATION_FAILED', category: 'validation' });
    });

    it('refuses to move a won deal', () => {
      spec
        .given([opened(), won])
        .when(move('engaging'))
        .thenThrows({ code: 'PIPELINE.DEAL_CLOSED', category: 'illegal_state' });
    });

    it('answers not found for an unknown deal', () => {
      spec
        .given([])
        .when(move('engaging'))
        .thenThrows({ code: 'PIPELINE.DEAL_NOT_FOUND', category: 'not_found' });
    });
  });

  describe('MarkDealWon', () => {
    it('moves the deal to the won stage with its closing value', () => {
      spec
        .given([opened()])
        .when({ type: 'MarkDealWon', dealId, pipeline, value: 1250, occurredAt: '2025-03-01' })
        .then([
          {
            type: 'DealWon',
            data: { ...won.data, value: 1250 },
            occurredAt: '2025-03-01T00:00:00.000Z',
          },
        ]);
    });

    it('refuses a closing value the read models cannot store', () => {
      spec
        .given([opened()])
        .when({ type: 'MarkDealWon', dealId, pipeline, value: 1e18 })
        .thenThrows({
          code: 'PIPELINE.VALIDATION_FAILED',
          category: 'validation',
          violations: [{ field: 'value', reason: 'must not be greater than 1000000000000' }],
        });
      spec
        .given([])
        .when(openDeal({ value: 10.125 }))
        .thenThrows({
          code: 'PIPELINE.VALIDATION_FAILED',
          category: 'validation',
          violations: [{ field: 'value', reason: 'must have at most 2 decimal places' }],
        });
    });

    it('refuses to win a lost deal', () => {
      spec
        .given([
          opened(),
          {
            type: 'DealLost',
            data: { dealId, pipelineId, fromStageId: 'prospecting', stageId: 'lost', reason: 'x' },
          },
        ])
        .when({ type: 'MarkDealWon', dealId, pipeline })
        .thenThrows({ code: 'PIPELINE.DEAL_CLOSED', category: 'illegal_state' });
    });
  });

  describe('MarkDealLost', () => {
    it('moves the deal to the lost stage with the reason', () => {
      spec
        .given([opened()])
        .when({ type: 'MarkDealLost', dealId, pipeline, reason: ' Price ' })
        .then([
          {
            type: 'DealLost',
            data: {
              dealId,
              pipelineId,
              fromStageId: 'prospecting',
              stageId: 'lost',
              reason: 'Price',
            },
            occurredAt: now.toISOString(),
          },
        ]);
    });

    it('needs a reason', () => {
      spec
        .given([opened()])
        .when({ type: 'MarkDealLost', dealId, pipeline, reason: ' ' })
        .thenThrows({
          code: 'PIPELINE.VALIDATION_FAILED',
          category: 'validation',
          violations: [{ field: 'reason', reason: 'must not be empty' }],
        });
    });
  });

  describe('ChangeDealDetails', () => {
    it('records each changed detail as its own fact', () => {
      spec
        .given([opened()])
        .when({
          type: 'ChangeDealDetails',
          dealId,
          changes: { title: 'Bigger', value: 2000, expectedCloseDate: null, productId: 'p-1' },
        })
        .then([
          { type: 'DealRenamed', data: { dealId, title: 'Bigger' } },
          {
            type: 'DealValueChanged',
            data: { dealId, value: 2000, previousValue: 1000, currency: 'USD' },
          },
          {
            type: 'DealExpectedCloseDateChanged',
            data: { dealId, expectedCloseDate: null, previousExpectedCloseDate: '2026-06-30' },
          },
          { type: 'DealProductChanged', data: { dealId, productId: 'p-1' } },
        ]);
    });

    it('refuses a new expected close date for a closed deal', () => {
      spec
        .given([opened(), won])
        .when({ type: 'ChangeDealDetails', dealId, changes: { expectedCloseDate: '2027-01-01' } })
        .thenThrows({ code: 'PIPELINE.DEAL_CLOSED', category: 'illegal_state' });
    });
  });

  it('assigns a new owner', () => {
    spec
      .given([opened()])
      .when({ type: 'AssignDealOwner', dealId, ownerId: 'rep-2' })
      .then([
        { type: 'DealOwnerAssigned', data: { dealId, ownerId: 'rep-2', previousOwnerId: 'rep-1' } },
      ]);
  });
});
