/**
 * The pipeline context's public event catalogue (topic `crm.pipeline.events`).
 *
 * No event here carries personal data: deals, pipelines and products refer to people and sales
 * reps by id only. Every type is at schemaVersion 1 and only grows compatibly (optional fields);
 * a breaking change gets a new schemaVersion and an upcaster.
 *
 * Money: `value` and `listPrice` are decimal amounts in `currency` (ISO 4217, default USD).
 * Dates: `expectedCloseDate` is a calendar date `YYYY-MM-DD`; business time is the envelope's
 * `occurredAt` (a deal's `DealWon.occurredAt` is its close date).
 */
import { EventEnvelope } from './envelope';
import { DomainEventOf, EnvelopeOf, NewEventOf, tenantStreamId } from './event-catalogue';

/** Stream types and stream id prefixes of the pipeline context (see {@link tenantStreamId}). */
export const PipelineStreams = {
  pipeline: { type: 'Pipeline', prefix: 'pipeline-' },
  product: { type: 'Product', prefix: 'product-' },
  deal: { type: 'Deal', prefix: 'deal-' },
} as const;

export function pipelineStreamId(tenantId: string, pipelineId: string): string {
  return tenantStreamId(PipelineStreams.pipeline.prefix, tenantId, pipelineId);
}

export function productStreamId(tenantId: string, productId: string): string {
  return tenantStreamId(PipelineStreams.product.prefix, tenantId, productId);
}

export function dealStreamId(tenantId: string, dealId: string): string {
  return tenantStreamId(PipelineStreams.deal.prefix, tenantId, dealId);
}

// ---- Pipeline -----------------------------------------------------------------------------

/** `open` stages hold deals in progress; a pipeline has exactly one `won` and one `lost`. */
export type StageKind = 'open' | 'won' | 'lost';

export interface StageDefinition {
  stageId: string;
  name: string;
  kind: StageKind;
  /** Win probability in percent (0 to 100), when the tenant tracks it. */
  probability: number | null;
}

export interface PipelineDefinedData {
  pipelineId: string;
  name: string;
  /** Ordered as the sales process runs. */
  stages: StageDefinition[];
  /** True for the pipeline every tenant gets on first use. */
  isDefault: boolean;
}

// ---- Product ------------------------------------------------------------------------------

export interface ProductAddedData {
  productId: string;
  name: string;
  series: string | null;
  listPrice: number | null;
}

// ---- Deal ---------------------------------------------------------------------------------

export interface DealOpenedData {
  dealId: string;
  title: string;
  pipelineId: string;
  stageId: string;
  companyId: string | null;
  personId: string | null;
  ownerId: string | null;
  productId: string | null;
  value: number | null;
  currency: string;
  expectedCloseDate: string | null;
}

export interface DealMovedToStageData {
  dealId: string;
  pipelineId: string;
  fromStageId: string;
  toStageId: string;
}

export interface DealRenamedData {
  dealId: string;
  title: string;
}

export interface DealValueChangedData {
  dealId: string;
  value: number | null;
  previousValue: number | null;
  currency: string;
}

export interface DealExpectedCloseDateChangedData {
  dealId: string;
  expectedCloseDate: string | null;
  previousExpectedCloseDate: string | null;
}

export interface DealProductChangedData {
  dealId: string;
  productId: string | null;
}

export interface DealOwnerAssignedData {
  dealId: string;
  ownerId: string;
  previousOwnerId: string | null;
}

/** The deal moved to its pipeline's won stage; `value` is the value it closed at. */
export interface DealWonData {
  dealId: string;
  pipelineId: string;
  fromStageId: string;
  stageId: string;
  value: number | null;
  currency: string;
}

/** The deal moved to its pipeline's lost stage. */
export interface DealLostData {
  dealId: string;
  pipelineId: string;
  fromStageId: string;
  stageId: string;
  reason: string;
}

// ---- Catalogue ----------------------------------------------------------------------------

/** Every pipeline event type with its data. The keys are the persisted type strings. */
export interface PipelineEventDataMap {
  PipelineDefined: PipelineDefinedData;
  ProductAdded: ProductAddedData;
  DealOpened: DealOpenedData;
  DealMovedToStage: DealMovedToStageData;
  DealRenamed: DealRenamedData;
  DealValueChanged: DealValueChangedData;
  DealExpectedCloseDateChanged: DealExpectedCloseDateChangedData;
  DealProductChanged: DealProductChangedData;
  DealOwnerAssigned: DealOwnerAssignedData;
  DealWon: DealWonData;
  DealLost: DealLostData;
}

export type PipelineEventType = keyof PipelineEventDataMap;

/** The persisted type strings, written out: never derive them from class names. */
export const PipelineEventTypes = [
  'PipelineDefined',
  'ProductAdded',
  'DealOpened',
  'DealMovedToStage',
  'DealRenamed',
  'DealValueChanged',
  'DealExpectedCloseDateChanged',
  'DealProductChanged',
  'DealOwnerAssigned',
  'DealWon',
  'DealLost',
] as const satisfies readonly PipelineEventType[];

export type DealEventType =
  | 'DealOpened'
  | 'DealMovedToStage'
  | 'DealRenamed'
  | 'DealValueChanged'
  | 'DealExpectedCloseDateChanged'
  | 'DealProductChanged'
  | 'DealOwnerAssigned'
  | 'DealWon'
  | 'DealLost';

export type PipelineEvent = DomainEventOf<PipelineEventDataMap>;
export type PipelineDefinitionEvent = DomainEventOf<PipelineEventDataMap, 'PipelineDefined'>;
export type ProductEvent = DomainEventOf<PipelineEventDataMap, 'ProductAdded'>;
export type DealEvent = DomainEventOf<PipelineEventDataMap, DealEventType>;
export type NewPipelineEvent = NewEventOf<PipelineEventDataMap>;
export type PipelineEventEnvelope = EnvelopeOf<PipelineEventDataMap>;

export function isPipelineEventType(type: string): type is PipelineEventType {
  return (PipelineEventTypes as readonly string[]).includes(type);
}

/** Whether a stored event is one of this catalogue's; a consumer may also see other topics. */
export function isPipelineEnvelope(envelope: EventEnvelope): envelope is PipelineEventEnvelope {
  return isPipelineEventType(envelope.type);
}
