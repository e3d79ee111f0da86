import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { CommandContext, ServiceHeaders } from '@relate/contracts';
import { RelateError, validationError } from '@relate/errors';

import { CommandTarget } from './event-sourced.repository';
import { headerOf, HttpRequest } from './http-request';

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const VERSION = /^(?:W\/)?"?(\d{1,15})"?$/;

type RoutedRequest = HttpRequest & { params: Record<string, string | undefined> };

function requestOf(context: ExecutionContext): RoutedRequest {
  return context.switchToHttp().getRequest<RoutedRequest>();
}

/**
 * Who asks, for which tenant, in which trace: the gateway sends these headers after checking the
 * API key. A service trusts them because only the gateway reaches it (loopback / private net).
 */
export function commandContextOf(request: HttpRequest): CommandContext {
  const tenantId = headerOf(request, ServiceHeaders.tenantId);
  if (!tenantId || !TENANT_ID.test(tenantId)) {
    throw validationError('SERVICE.TENANT_REQUIRED', [
      { field: ServiceHeaders.tenantId, reason: 'must name the tenant ([A-Za-z0-9_-], 1-64)' },
    ]);
  }
  const actorType = headerOf(request, ServiceHeaders.actorType) === 'system' ? 'system' : 'user';

  return {
    tenantId,
    actor: { type: actorType, id: headerOf(request, ServiceHeaders.actorId) ?? 'unknown' },
    correlationId: headerOf(request, ServiceHeaders.correlationId) ?? randomUUID(),
    causationId: headerOf(request, ServiceHeaders.causationId) ?? null,
    traceparent: headerOf(request, ServiceHeaders.traceparent) ?? null,
  };
}

/** The stream version a client decided against (`If-Match: "3"`), if it sent one. */
export function expectedVersionOf(request: HttpRequest): number | undefined {
  const value = headerOf(request, ServiceHeaders.ifMatch);
  if (value === undefined) {
    return undefined;
  }
  const match = VERSION.exec(value);
  if (!match) {
    throw validationError('SERVICE.INVALID_IF_MATCH', [
      { field: 'If-Match', reason: 'must be a stream version, e.g. "3"' },
    ]);
  }

  return Number(match[1]);
}

/** A read's wish to see at least a given write (`x-consistency-token`). */
export function consistencyTokenOf(request: HttpRequest): string | undefined {
  return headerOf(request, ServiceHeaders.consistencyToken);
}

/** The target of a command route; `@Target('id')` names the route parameter holding the id. */
export const Target = createParamDecorator((param: string, context: ExecutionContext) => {
  const request = requestOf(context);
  const id = request.params[param];
  if (id === undefined) {
    throw new RelateError('SERVICE.NO_TARGET', 'internal', `Route lacks the parameter ${param}`);
  }
  const target: CommandTarget = {
    context: commandContextOf(request),
    id,
    expectedVersion: expectedVersionOf(request),
  };

  return target;
});

export const Ctx = createParamDecorator((_: unknown, context: ExecutionContext) =>
  commandContextOf(requestOf(context)),
);

export const Consistency = createParamDecorator((_: unknown, context: ExecutionContext) =>
  consistencyTokenOf(requestOf(context)),
);

/** The tenant of a read; reads need no actor. */
export const TenantId = createParamDecorator(
  (_: unknown, context: ExecutionContext) => commandContextOf(requestOf(context)).tenantId,
);
