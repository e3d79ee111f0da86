/** Shapes shared by every resource of the REST API (gateway `/api/v1` and internal services). */

/** The answer to every command: the stream's new version and a token to wait for it. */
export interface WriteResult {
  id: string;
  version: number;
  consistencyToken: string;
}

export interface PageQuery {
  /** 1-based, at most {@link MAX_PAGE}. */
  page?: number;
  /** At most {@link MAX_PAGE_LIMIT}. */
  limit?: number;
}

export interface Page<T> {
  items: T[];
  page: number;
  limit: number;
  total: number;
}

export const DEFAULT_PAGE_LIMIT = 50;
export const MAX_PAGE_LIMIT = 500;
/** Pages past this one are refused: the offset must stay a safe integer for SQL. */
export const MAX_PAGE = 1_000_000;

/**
 * The largest money amount (deal value, list price, revenue) a command accepts, with at most
 * two decimal places: read models keep amounts as numeric(20, 2), whose overflow would park the
 * event on the dead letter topic after the write was already acknowledged.
 */
export const MAX_MONEY_AMOUNT = 1_000_000_000_000;

/** Request headers with which the gateway tells a service who asks and in which trace. */
export const ServiceHeaders = {
  tenantId: 'x-tenant-id',
  actorId: 'x-actor-id',
  actorType: 'x-actor-type',
  correlationId: 'x-correlation-id',
  causationId: 'x-causation-id',
  traceparent: 'traceparent',
  ifMatch: 'if-match',
  consistencyToken: 'x-consistency-token',
} as const;

/** The body of every error answer. */
export interface ErrorBody {
  /** Short, stable: VALIDATION_FAILED, NOT_FOUND, ALREADY_EXISTS, WRONG_EXPECTED_VERSION, ... */
  error: string;
  /** The full RelateError code, e.g. PIPELINE.DEAL_NOT_FOUND. */
  code: string;
  /** The RelateError category; absent for protocol errors (401, unknown route, bad JSON). */
  category?: 'validation' | 'not_found' | 'conflict' | 'illegal_state' | 'internal';
  message: string;
  violations?: Array<{ field: string; reason: string }>;
  details?: Record<string, unknown>;
}
