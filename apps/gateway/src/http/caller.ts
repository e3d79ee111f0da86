import { randomBytes, randomUUID } from 'node:crypto';

import { RelateError } from '@relate/errors';
import { parseTraceparent } from '@relate/observability';
import { headerOf, HttpRequest } from '@relate/service-kit';

import { ApiKeyOwner } from '../auth/api-keys';

/** Who calls, for which tenant, in which trace: what the gateway forwards to services. */
export interface Caller {
  tenantId: string;
  actorId: string;
  correlationId: string;
  traceparent: string;
}

export type AuthenticatedRequest = HttpRequest & { caller?: Caller };

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The traceparent of the gateway's hop: the caller's trace continues when it sent a valid
 * `traceparent`, otherwise a new trace starts here.
 */
export function nextTraceparent(incoming: string | undefined): string {
  const parent = parseTraceparent(incoming);
  const traceId = parent?.traceId ?? randomBytes(16).toString('hex');
  const flags = parent ? (parent.traceFlags & 1 ? '01' : '00') : '01';

  return `00-${traceId}-${randomBytes(8).toString('hex')}-${flags}`;
}

export function callerOf(request: HttpRequest, owner: ApiKeyOwner): Caller {
  const correlationId = headerOf(request, 'x-correlation-id');

  return {
    tenantId: owner.tenantId,
    actorId: owner.name,
    correlationId:
      correlationId && CORRELATION_ID.test(correlationId) ? correlationId : randomUUID(),
    traceparent: nextTraceparent(headerOf(request, 'traceparent')),
  };
}

/** The caller the API key guard put on the request. */
export function callerOfRequest(request: AuthenticatedRequest): Caller {
  if (!request.caller) {
    throw new RelateError('GATEWAY.NO_CALLER', 'internal', 'Route lacks the API key guard');
  }

  return request.caller;
}
