import {
  DealEvent,
  DealEventType,
  INITIAL_SCHEMA_VERSION,
  NewEventOf,
  PipelineEventDataMap,
} from '@relate/contracts';
import { assertUnreachable, FieldViolation, RelateError } from '@relate/errors';
import { Decider, moneyViolations } from '@relate/service-kit';

import { findStage, PipelineState, stageOfKind } from '../pipelines/pipeline.decider';
import {
  assertNoViolations,
  dealClosed,
  dealNotFound,
  pipelineAlreadyExists,
  rejectField,
} from '../pipeline.errors';

export type DealStatus = 'open' | 'won' | 'lost';

export interface DealChanges {
  title?: string;
  value?: number | null;
  expectedCloseDate?: string | null;
  productId?: string | null;
}

/** Commands that touch stages carry the deal's pipeline, loaded by the service beforehand. */
export type DealCommand =
  | {
      type: 'OpenDeal';
      dealId: string;
      title: string;
      pipeline: PipelineState;
      stageId: string | null;
      companyId: string | null;
      personId: string | null;
      ownerId: string | null;
      productId: string | null;
      value: number | null;
      currency: string;
      expectedCloseDate: string | null;
      occurredAt?: string;
    }
  | {
      type: 'MoveDealToStage';
      dealId: string;
      pipeline: PipelineState;
      stageId: string;
      occurredAt?: string;
    }
  | { type: 'ChangeDealDetails'; dealId: string; changes: DealChanges }
  | { type: 'AssignDealOwner'; dealId: string; ownerId: string }
  | {
      type: 'MarkDealWon';
      dealId: string;
      pipeline: PipelineState;
      /** Undefined keeps the deal's current value. */
      value?: number | null;
      occurredAt?: string;
    }
  | {
      type: 'MarkDealLost';
      dealId: string;
      pipeline: PipelineState;
      reason: string;
      occurredAt?: string;
    };

export interface DealState {
  status: 'unknown' | DealStatus;
  pipelineId: string;
  stageId: string;
  title: string;
  ownerId: string | null;
  productId: string | null;
  value: number | null;
  currency: string;
  expectedCloseDate: string | null;
}

type NewDealEvent = NewEventOf<PipelineEventDataMap, DealEventType>;

export const initialDealState: DealState = {
  status: 'unknown',
  pipelineId: '',
  stageId: '',
  title: '',
  ownerId: null,
  productId: null,
  value: null,
  currency: 'USD',
  expectedCloseDate: null,
};

// Clocks drift a little between the caller and us; business time beyond that is refused.
const FUTURE_TOLERANCE_MS = 60_000;

function event<K extends DealEventType>(
  type: K,
  data: PipelineEventDataMap[K],
  occurredAt?: string,
): NewDealEvent {
  const base = { type, schemaVersion: INITIAL_SCHEMA_VERSION, data };

  return (occurredAt === undefined ? base : { ...base, occurredAt }) as NewDealEvent;
}

/** Business time of a command: given, or now; never in the future. */
function businessTime(occurredAt: string | undefined, now: Date): string {
  if (occurredAt === undefined) {
    return now.toISOString();
  }
  const time = new Date(occurredAt);
  if (Number.isNaN(time.getTime())) {
    rejectField('occurredAt', 'must be an ISO 8601 date-time');
  }
  if (time.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    rejectField('occurredAt', 'must not be in the future');
  }

  return time.toISOString();
}

function valueViolations(value: number | null | undefined): FieldViolation[] {
  return moneyViolations('value', value);
}

function titleViolations(title: string | undefined): FieldViolation[] {
  return title !== undefined && title.trim() === ''
    ? [{ field: 'title', reason: 'must not be empty' }]
    : [];
}

function openingStage(command: Extract<DealCommand, { type: 'OpenDeal' }>) {
  const { pipeline } = command;

  return command.stageId === null
    ? pipeline.stages.find((candidate) => candidate.kind === 'open')
    : findStage(pipeline, command.stageId);
}

function open(command: Extract<DealCommand, { type: 'OpenDeal' }>, state: DealState, now: Date) {
  if (state.status !== 'unknown') {
    throw pipelineAlreadyExists('Deal', command.dealId);
  }
  const stage = openingStage(command);
  const violations = [...titleViolations(command.title), ...valueViolations(command.value)];
  if (!stage) {
    violations.push({ field: 'stageId', reason: 'is not a stage of the deal’s pipeline' });
  } else if (stage.kind !== 'open') {
    violations.push({ field: 'stageId', reason: 'a deal opens in an open stage' });
  }
  assertNoViolations(violations);
  const { dealId, companyId, personId, ownerId, productId, value, currency } = command;
  const data = {
    dealId,
    title: command.title.trim(),
    pipelineId: command.pipeline.pipelineId,
    stageId: stage?.stageId ?? '',
    companyId,
    personId,
    ownerId,
    productId,
    value,
    currency,
    expectedCloseDate: command.expectedCloseDate,
  };

  return [event('DealOpened', data, businessTime(command.occurredAt, now))];
}

function assertOpen(dealId: string, state: DealState): void {
  if (state.status !== 'open') {
    throw dealClosed(dealId, state.status);
  }
}

function assertSamePipeline(pipeline: PipelineState, state: DealState): void {
  if (pipeline.pipelineId !== state.pipelineId) {
    throw new RelateError('PIPELINE.WRONG_PIPELINE_LOADED', 'internal', 'Pipeline mismatch', {
      details: { expected: state.pipelineId, loaded: pipeline.pipelineId },
    });
  }
}

function markWon(
  command: Extract<DealCommand, { type: 'MarkDealWon' }>,
  state: DealState,
  now: Date,
): NewDealEvent[] {
  assertOpen(command.dealId, state);
  assertSamePipeline(command.pipeline, state);
  assertNoViolations(valueViolations(command.value));
  const occurredAt = businessTime(command.occurredAt, now);

  return [
    event(
      'DealWon',
      {
        dealId: command.dealId,
        pipelineId: state.pipelineId,
        fromStageId: state.stageId,
        stageId: stageOfKind(command.pipeline, 'won').stageId,
        value: command.value === undefined ? state.value : command.value,
        currency: state.currency,
      },
      occurredAt,
    ),
  ];
}

function markLost(
  command: Extract<DealCommand, { type: 'MarkDealLost' }>,
  state: DealState,
  now: Date,
): NewDealEvent[] {
  assertOpen(command.dealId, state);
  assertSamePipeline(command.pipeline, state);
  const reason = command.reason.trim();
  assertNoViolations(reason === '' ? [{ field: 'reason', reason: 'must not be empty' }] : []);
  const occurredAt = businessTime(command.occurredAt, now);

  return [
    event(
      'DealLost',
      {
        dealId: command.dealId,
        pipelineId: state.pipelineId,
        fromStageId: state.stageId,
        stageId: stageOfKind(command.pipeline, 'lost').stageId,
        reason,
      },
      occurredAt,
    ),
  ];
}

function move(
  command: Extract<DealCommand, { type: 'MoveDealToStage' }>,
  state: DealState,
  now: Date,
): NewDealEvent[] {
  // Won and lost deals stay where they closed: reopening would be its own command and fact.
  assertOpen(command.dealId, state);
  assertSamePipeline(command.pipeline, state);
  const stage =
    findStage(command.pipeline, command.stageId) ??
    rejectField('stageId', 'is not a stage of the deal’s pipeline');
  if (stage.kind === 'won') {
    // Dragging a deal onto the won stage means the same as marking it won.
    return markWon({ ...command, type: 'MarkDealWon' }, state, now);
  }
  if (stage.kind === 'lost') {
    rejectField('stageId', 'losing a deal needs a reason: mark it lost');
  }
  if (stage.stageId === state.stageId) {
    return [];
  }
  const data = {
    dealId: command.dealId,
    pipelineId: state.pipelineId,
    fromStageId: state.stageId,
    toStageId: stage.stageId,
  };

  return [event('DealMovedToStage', data, businessTime(command.occurredAt, now))];
}

function changeDetails(
  command: Extract<DealCommand, { type: 'ChangeDealDetails' }>,
  state: DealState,
): NewDealEvent[] {
  const { dealId, changes } = command;
  assertNoViolations([...titleViolations(changes.title), ...valueViolations(changes.value)]);
  const events: NewDealEvent[] = [];
  const title = changes.title?.trim();
  if (title !== undefined && title !== state.title) {
    events.push(event('DealRenamed', { dealId, title }));
  }
  if (changes.value !== undefined && changes.value !== state.value) {
    const previousValue = state.value;
    events.push(
      event('DealValueChanged', {
        dealId,
        value: changes.value,
        previousValue,
        currency: state.currency,
      }),
    );
  }
  const closeDate = changes.expectedCloseDate;
  if (closeDate !== undefined && closeDate !== state.expectedCloseDate) {
    assertOpen(dealId, state);
    events.push(
      event('DealExpectedCloseDateChanged', {
        dealId,
        expectedCloseDate: closeDate,
        previousExpectedCloseDate: state.expectedCloseDate,
      }),
    );
  }
  if (changes.productId !== undefined && changes.productId !== state.productId) {
    events.push(event('DealProductChanged', { dealId, productId: changes.productId }));
  }

  return events;
}

function decide(command: DealCommand, state: DealState, now: Date): NewDealEvent[] {
  if (command.type === 'OpenDeal') {
    return open(command, state, now);
  }
  if (state.status === 'unknown') {
    throw dealNotFound(command.dealId);
  }
  switch (command.type) {
    case 'MoveDealToStage':
      return move(command, state, now);
    case 'ChangeDealDetails':
      return changeDetails(command, state);
    case 'AssignDealOwner':
      return command.ownerId === state.ownerId
        ? []
        : [
            event('DealOwnerAssigned', {
              dealId: command.dealId,
              ownerId: command.ownerId,
              previousOwnerId: state.ownerId,
            }),
          ];
    case 'MarkDealWon':
      return markWon(command, state, now);
    case 'MarkDealLost':
      return markLost(command, state, now);
    default:
      return assertUnreachable(command);
  }
}

function evolve(state: DealState, event: DealEvent): DealState {
  switch (event.type) {
    case 'DealOpened': {
      const { pipelineId, stageId, title, ownerId, productId, value, currency } = event.data;
      const expectedCloseDate = event.data.expectedCloseDate;

      return {
        status: 'open',
        ...{ pipelineId, stageId, title, ownerId, productId, value, currency, expectedCloseDate },
      };
    }
    case 'DealMovedToStage':
      return { ...state, stageId: event.data.toStageId };
    case 'DealRenamed':
      return { ...state, title: event.data.title };
    case 'DealValueChanged':
      return { ...state, value: event.data.value };
    case 'DealExpectedCloseDateChanged':
      return { ...state, expectedCloseDate: event.data.expectedCloseDate };
    case 'DealProductChanged':
      return { ...state, productId: event.data.productId };
    case 'DealOwnerAssigned':
      return { ...state, ownerId: event.data.ownerId };
    case 'DealWon':
      return { ...state, status: 'won', stageId: event.data.stageId, value: event.data.value };
    case 'DealLost':
      return { ...state, status: 'lost', stageId: event.data.stageId };
    default:
      return assertUnreachable(event);
  }
}

export const dealDecider: Decider<DealCommand, DealState, DealEvent> = {
  initialState: initialDealState,
  decide,
  evolve,
};
