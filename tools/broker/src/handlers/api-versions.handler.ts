import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, ApiVersionRange, BrokerContext, NO_THROTTLE } from './api-handler';

const MAX_VERSION = 3;

export const apiVersionsHandler: ApiHandler = {
  apiKey: ApiKey.ApiVersions,
  minVersion: 0,
  maxVersion: MAX_VERSION,
  handle(request, broker) {
    // v3's body (client software name and version) is informational only.
    return request.version >= 3
      ? flexibleResponse(broker.supportedApis)
      : classicResponse(request.version, ErrorCode.None, broker.supportedApis);
  },
};

/**
 * Answer to an ApiVersions version above ours: the v0 layout with UNSUPPORTED_VERSION and our
 * own range for key 18, so the client retries with a version we speak (KIP-511).
 */
export function unsupportedApiVersionsResponse(): Writer {
  return classicResponse(0, ErrorCode.UnsupportedVersion, [
    { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: MAX_VERSION },
  ]);
}

function classicResponse(version: number, error: ErrorCode, apis: readonly ApiVersionRange[]) {
  const writer = new Writer().int16(error);
  writer.array(apis, (w, api) => w.int16(api.apiKey).int16(api.minVersion).int16(api.maxVersion));
  if (version >= 1) {
    writer.int32(NO_THROTTLE);
  }

  return writer;
}

function flexibleResponse(apis: BrokerContext['supportedApis']): Writer {
  return new Writer()
    .int16(ErrorCode.None)
    .compactArray(apis, (w, api) =>
      w.int16(api.apiKey).int16(api.minVersion).int16(api.maxVersion).emptyTaggedFields(),
    )
    .int32(NO_THROTTLE)
    .emptyTaggedFields();
}
