import { ApiHandler, BrokerContext } from '../handlers/api-handler';
import { unsupportedApiVersionsResponse } from '../handlers/api-versions.handler';
import { ApiKey } from '../protocol/api-keys';
import { Reader } from '../protocol/reader';
import { isFlexibleRequest, RequestHeader } from '../protocol/request-header';
import { Writer } from '../protocol/writer';
import { ServedVersions } from './served-versions';

/** A request for an API or version this broker does not advertise. */
export class UnsupportedRequestError extends Error {}

export interface RequestOrigin {
  clientId: string;
  clientHost: string;
}

/** Routes a request to its API handler and frames the response. */
export class RequestDispatcher {
  private readonly handlers: Map<number, ApiHandler>;

  constructor(
    handlers: readonly ApiHandler[],
    private readonly broker: BrokerContext,
    private readonly served = new ServedVersions(),
  ) {
    this.handlers = new Map(handlers.map((handler) => [handler.apiKey, handler]));
  }

  /**
   * Runs the handler at once, so each request's synchronous effects (offset assignment, group
   * transitions) happen in arrival order. Resolves to the framed response, or null for none.
   */
  dispatch(header: RequestHeader, body: Reader, origin: RequestOrigin): Promise<Buffer | null> {
    const handler = this.handlers.get(header.apiKey);
    if (header.apiKey === ApiKey.ApiVersions && handler && header.apiVersion > handler.maxVersion) {
      // Never close on ApiVersions: tell the client which versions to retry with (pitfall 4).
      this.served.record(header.apiKey, header.apiVersion);
      return Promise.resolve(frameResponse(header, unsupportedApiVersionsResponse()));
    }
    if (
      !handler ||
      header.apiVersion < handler.minVersion ||
      header.apiVersion > handler.maxVersion
    ) {
      throw new UnsupportedRequestError(
        `API ${header.apiKey} version ${header.apiVersion} is not supported`,
      );
    }
    this.served.record(header.apiKey, header.apiVersion);
    const request = { header, version: header.apiVersion, body, ...origin };
    const result = handler.handle(request, this.broker);

    return Promise.resolve(result).then((writer) =>
      writer ? frameResponse(header, writer) : null,
    );
  }
}

/**
 * Size, correlation id, then the body. Flexible responses add a tag block to the header,
 * except ApiVersions, whose response header stays v0 in every version (pitfall 3).
 */
function frameResponse(header: RequestHeader, body: Writer): Buffer {
  const headerTags =
    isFlexibleRequest(header.apiKey, header.apiVersion) && header.apiKey !== ApiKey.ApiVersions;
  const payload = body.toBuffer();
  const prefix = Buffer.alloc(headerTags ? 9 : 8);
  prefix.writeInt32BE(prefix.length - 4 + payload.length, 0);
  prefix.writeInt32BE(header.correlationId, 4);

  return Buffer.concat([prefix, payload]);
}
