import { WriteResult } from '@relate/contracts';
import { HttpResponse } from '@relate/service-kit';

import { Caller } from './caller';
import { forwardedQuery, ReadQueryDto } from './query.dto';
import { expectedVersionOf, withETag } from './responses';
import { ServiceClient } from './service.client';

/** The three shapes of a forwarded call: a command, a list read, a read of one resource. */
export class Forwarding {
  constructor(private readonly client: ServiceClient) {}

  /** A command: If-Match becomes the expected version; the answer's version the ETag. */
  command(
    caller: Caller,
    request: { method: 'POST' | 'PATCH'; path: string; body?: object; ifMatch?: string },
    response: HttpResponse,
  ): Promise<WriteResult> {
    const expectedVersion = expectedVersionOf(request.ifMatch);
    const call = this.client.send<WriteResult>(caller, request.method, request.path, {
      body: request.body ?? {},
      expectedVersion,
    });

    return withETag(response, call);
  }

  /** A list: the validated query, and the consistency token from query or header. */
  list<T>(caller: Caller, path: string, query: ReadQueryDto, token?: string): Promise<T> {
    return this.client.send<T>(caller, 'GET', path, {
      query: forwardedQuery(query),
      consistencyToken: query.consistency ?? token,
    });
  }

  /** One resource, with its version as ETag. */
  one<T extends { version: number }>(
    caller: Caller,
    path: string,
    consistency: { query: ReadQueryDto; token?: string },
    response: HttpResponse,
  ): Promise<T> {
    const consistencyToken = consistency.query.consistency ?? consistency.token;

    return withETag(response, this.client.send<T>(caller, 'GET', path, { consistencyToken }));
  }
}
