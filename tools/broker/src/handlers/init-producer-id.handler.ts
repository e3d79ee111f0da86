import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, NO_THROTTLE } from './api-handler';

/**
 * InitProducerId v0–1 for idempotent producers. Transactions are not offered: a transactional
 * id is refused with INVALID_REQUEST so that transactional code fails fast instead of retrying.
 */
export const initProducerIdHandler: ApiHandler = {
  apiKey: ApiKey.InitProducerId,
  minVersion: 0,
  maxVersion: 1,
  async handle(request, broker) {
    const transactionalId = request.body.nullableString();
    request.body.int32(); // transaction timeout
    const writer = new Writer().int32(NO_THROTTLE);
    if (transactionalId !== null) {
      return writer.int16(ErrorCode.InvalidRequest).int64(-1n).int16(-1);
    }
    const producerId = await broker.producerIds.allocate();

    return writer.int16(ErrorCode.None).int64(producerId).int16(0);
  },
};
