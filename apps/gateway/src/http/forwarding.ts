import { createParamDecorator, ExecutionContext } from '@nestjs/common';

import { ServiceHeaders, WriteResult } from '@relate/contracts';
import { HttpResponse } from '@relate/service-kit';

import { AuthenticatedRequest, Caller, callerOfRequest } from './caller';
import { forwardedQuery, ReadQueryDto } from './query.dto';
import { expectedVersionOf, withETag } from './responses';
import { ServiceClient } from './service.client';

/** What a forwarded call takes from the public request besides its route, body and query. */
export interface IncomingCall {
  caller: Caller;
  /** `If-Match` as sent; only commands on an existing resource read it. */
  ifMatch: string | undefined;
  /** `x-consistency-token` as sent; a read's `?consistency=` wins over it. */
  consistencyToken: string | undefined;
  /** Where the answer's version goes as ETag. */
  response: HttpResponse;
}

function rawHeader(request: AuthenticatedRequest, name: string): string | undefined {
  const value = request.headers[name];

  return Array.isArray(value) ? value[0] : value;
}

/** The incoming call of a route behind the API key guard. */
export const Incoming = createParamDecorator((_: unknown, context: ExecutionContext) => {
  const http = context.switchToHttp();
  const request = http.getRequest<AuthenticatedRequest>();
  const incoming: IncomingCall = {
    caller: callerOfRequest(request),
    ifMatch: rawHeader(request, ServiceHeaders.ifMatch),
    consistencyToken: rawHeader(request, ServiceHeaders.consistencyToken),
    response: http.getResponse<HttpResponse>(),
  };

  return incoming;
});

/** The shapes of a forwarded call: create, command, list, one resource, plain read. */
export class Forwarding {
  constructor(private readonly client: ServiceClient) {}

  /** A create: nothing to match a version against; the new version is the ETag. */
  create(incoming: IncomingCall, path: string, body: object): Promise<WriteResult> {
    const call = this.client.send<WriteResult>(incoming.caller, 'POST', path, { body });

    return withETag(incoming.response, call);
  }

  /** A command on a resource: If-Match is the expected version; the new version the ETag. */
  command(
    incoming: IncomingCall,
    method: 'POST' | 'PATCH' | 'DELETE',
    path: string,
    body: object = {},
  ): Promise<WriteResult> {
    const expectedVersion = expectedVersionOf(incoming.ifMatch);
    const call = this.client.send<WriteResult>(incoming.caller, method, path, {
      body,
      expectedVersion,
    });

    return withETag(incoming.response, call);
  }

  /** A list: the validated query, and the consistency token from query or header. */
  list<T>(incoming: IncomingCall, path: string, query: ReadQueryDto): Promise<T> {
    return this.client.send<T>(incoming.caller, 'GET', path, {
      query: forwardedQuery(query),
      consistencyToken: query.consistency ?? incoming.consistencyToken,
    });
  }

  /** One resource, with its version as ETag. */
  one<T extends { version: number }>(
    incoming: IncomingCall,
    path: string,
    query: ReadQueryDto,
  ): Promise<T> {
    const consistencyToken = query.consistency ?? incoming.consistencyToken;
    const call = this.client.send<T>(incoming.caller, 'GET', path, { consistencyToken });

    return withETag(incoming.response, call);
  }

  /** A read that neither waits for a write nor carries a version. */
  read<T>(incoming: IncomingCall, path: string): Promise<T> {
    return this.client.send<T>(incoming.caller, 'GET', path);
  }
}

/** Forwarding to the contacts service. */
export class ContactsForwarding extends Forwarding {}

/** Forwarding to the pipeline service. */
export class PipelineForwarding extends Forwarding {}

/** Forwarding to the activities service. */
export class ActivitiesForwarding extends Forwarding {}

/** Forwarding to the automation service. */
export class AutomationForwarding extends Forwarding {}

/** Forwarding to the reporting service. */
export class ReportingForwarding extends Forwarding {}
