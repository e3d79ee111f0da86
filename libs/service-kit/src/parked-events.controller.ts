import { Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';

import { MAX_PAGE, MAX_PAGE_LIMIT, Page } from '@relate/contracts';
import { FieldViolation, validationError } from '@relate/errors';
import {
  ParkedEvent,
  ParkedEventErrorCodes,
  ParkedEventRetry,
  ParkedStatus,
} from '@relate/messaging';

import { SERVICE_NAME } from './injection-tokens';
import { pagingOf } from './paging';
import { ReadModels } from './read-models.service';

const STATUSES: readonly ParkedStatus[] = ['parked', 'resolved'];
const LIST_PARAMETERS = new Set(['projection', 'status', 'page', 'limit']);
/** Longer ids are never recorded (an event's id is a UUID, else `<topic>/<partition>/<offset>`). */
const MAX_ID_LENGTH = 1000;

/**
 * Operator endpoints for events a projection or reactor could not apply, on the service's own
 * port (never through the gateway). Listings show each event's identity and error, never its
 * data: that may be personal.
 *
 * TODO(#4): the /ops routes have no authentication (they rely on the service port being
 * private), and a parked message that cannot be decoded can be listed but never dismissed.
 */
@Controller('ops/parked-events')
export class ParkedEventsController {
  constructor(
    private readonly readModels: ReadModels,
    @Inject(SERVICE_NAME) private readonly service: string,
  ) {}

  /** `?projection=&status=parked|resolved&page=&limit=`, oldest first. */
  @Get()
  async list(
    @Query() query: Record<string, unknown>,
  ): Promise<Page<ParkedEvent> & { service: string }> {
    const { projection, status } = listFilter(query);
    const paging = pagingOf(query);
    const { items, total } = await this.readModels.parkedEvents({ projection, status, paging });

    return { service: this.service, items, page: paging.page, limit: paging.limit, total };
  }

  /**
   * Applies the parked event after a fix, with the events of its stream parked behind it, once:
   * 200 with what was applied; 409 if already retried or if it waits behind another parked
   * event; 409 `RETRY_FAILED` with the error if it fails again (it stays parked).
   */
  @Post(':eventId/retry')
  @HttpCode(200)
  async retry(
    @Param('eventId') eventId: string,
    @Query('projection') projection: unknown,
  ): Promise<ParkedEventRetry & { service: string }> {
    const violations: FieldViolation[] = [];
    if (!isName(eventId, MAX_ID_LENGTH)) {
      violations.push({ field: 'eventId', reason: 'must be the id of a parked event' });
    }
    if (projection !== undefined && !isName(projection)) {
      violations.push({ field: 'projection', reason: 'must name one projection' });
    }
    if (violations.length > 0) {
      throw validationError(ParkedEventErrorCodes.invalidRetry, violations);
    }
    const retried = await this.readModels.retryParked(eventId, projection as string | undefined);

    return { service: this.service, ...retried };
  }
}

function listFilter(query: Record<string, unknown>): {
  projection?: string;
  status?: ParkedStatus;
} {
  const violations: FieldViolation[] = Object.keys(query)
    .filter((name) => !LIST_PARAMETERS.has(name))
    .map((field) => ({ field, reason: 'is not allowed' }));
  const { projection, status } = query;
  if (projection !== undefined && !isName(projection)) {
    violations.push({ field: 'projection', reason: 'must name one projection' });
  }
  for (const [field, max] of [
    ['page', MAX_PAGE],
    ['limit', MAX_PAGE_LIMIT],
  ] as const) {
    const value = query[field];
    if (value !== undefined && !isIntegerFrom1To(value, max)) {
      violations.push({ field, reason: `must be an integer from 1 to ${max}` });
    }
  }
  if (status !== undefined && !STATUSES.includes(status as ParkedStatus)) {
    violations.push({ field: 'status', reason: `must be one of ${STATUSES.join(', ')}` });
  }
  if (violations.length > 0) {
    throw validationError(ParkedEventErrorCodes.invalidQuery, violations);
  }

  return { projection: projection as string | undefined, status: status as ParkedStatus };
}

/** One non-empty name PostgreSQL can compare: text without NUL characters. */
function isName(value: unknown, maxLength = 200): value is string {
  return (
    typeof value === 'string' &&
    value !== '' &&
    value.length <= maxLength &&
    !value.includes('\u0000')
  );
}

function isIntegerFrom1To(value: unknown, max: number): boolean {
  return typeof value === 'string' && /^[1-9][0-9]*$/.test(value) && Number(value) <= max;
}
