import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, NODE_ID, NO_THROTTLE } from './api-handler';

/** FindCoordinator v0–2: this broker coordinates every group (and would every transaction). */
export const findCoordinatorHandler: ApiHandler = {
  apiKey: ApiKey.FindCoordinator,
  minVersion: 0,
  maxVersion: 2,
  handle(request, broker) {
    request.body.string(); // key: group id or transactional id
    const { host, port } = broker.advertised;
    const writer = new Writer();
    if (request.version >= 1) {
      writer.int32(NO_THROTTLE).int16(ErrorCode.None).nullableString(null);
    } else {
      writer.int16(ErrorCode.None);
    }

    return writer.int32(NODE_ID).string(host).int32(port);
  },
};
