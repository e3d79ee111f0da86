/** Requests and answers of the pipeline resources (gateway `/api/v1`, pipeline service `/`). */
import { PageQuery } from './http.api';
import { StageKind } from './pipeline.events';

export interface AddProductRequest {
  id?: string;
  name: string;
  series?: string | null;
  listPrice?: number | null;
}

export interface ProductView {
  id: string;
  name: string;
  series: string | null;
  listPrice: number | null;
  version: number;
}

export interface DefinePipelineRequest {
  id?: string;
  name: string;
  /** Ordered as the sales process runs. */
  stages: Array<{ id?: string; name: string; kind: StageKind; probability?: number | null }>;
}

export interface StageView {
  id: string;
  name: string;
  kind: StageKind;
  probability: number | null;
  position: number;
}

export interface PipelineView {
  id: string;
  name: string;
  isDefault: boolean;
  stages: StageView[];
  version: number;
}

/** A sum of money in one currency. */
export interface CurrencyTotal {
  currency: string;
  total: number;
}

/**
 * Deals and their value per stage. Amounts in different currencies are never added up:
 * `values` has one total per currency, and `totalValue` is that total when all deals share one
 * currency (0 when none has a value), null when they do not.
 */
export interface PipelineSummaryView {
  pipelineId: string;
  name: string;
  stages: Array<{
    stageId: string;
    name: string;
    kind: StageKind;
    dealCount: number;
    totalValue: number | null;
    values: CurrencyTotal[];
  }>;
  totals: { dealCount: number; totalValue: number | null; values: CurrencyTotal[] };
}

export interface OpenDealRequest {
  id?: string;
  title: string;
  /** Defaults to the tenant's default pipeline. */
  pipelineId?: string;
  /** Defaults to the pipeline's first open stage. */
  stageId?: string;
  companyId?: string | null;
  personId?: string | null;
  ownerId?: string | null;
  productId?: string | null;
  value?: number | null;
  /** ISO 4217, default USD. */
  currency?: string;
  /** YYYY-MM-DD. */
  expectedCloseDate?: string | null;
  /** ISO 8601 business time; default now. */
  occurredAt?: string;
}

export interface MoveDealRequest {
  stageId: string;
  occurredAt?: string;
}

export interface ChangeDealRequest {
  title?: string;
  value?: number | null;
  expectedCloseDate?: string | null;
  productId?: string | null;
}

export interface MarkDealWonRequest {
  /** The value the deal closed at; default its current value. */
  value?: number | null;
  occurredAt?: string;
}

export interface MarkDealLostRequest {
  reason: string;
  occurredAt?: string;
}

export type DealStatusFilter = 'open' | 'won' | 'lost';

export interface DealListQuery extends PageQuery {
  pipelineId?: string;
  stageId?: string;
  ownerId?: string;
  companyId?: string;
  /**
   * Close date range (YYYY-MM-DD, inclusive): the actual close date of won and lost deals,
   * the expected one of open deals.
   */
  closeFrom?: string;
  closeTo?: string;
  status?: DealStatusFilter;
}

export interface DealView {
  id: string;
  title: string;
  pipelineId: string;
  stageId: string;
  stageName: string | null;
  status: DealStatusFilter;
  companyId: string | null;
  /** The company's current name, from the pipeline's projection of the contacts topic. */
  companyName: string | null;
  personId: string | null;
  ownerId: string | null;
  productId: string | null;
  value: number | null;
  currency: string;
  expectedCloseDate: string | null;
  /** Business time of the opening. */
  openedAt: string;
  /** Business time of DealWon or DealLost. */
  closedAt: string | null;
  lostReason: string | null;
  version: number;
}
