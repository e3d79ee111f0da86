import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, BrokerContext, NO_THROTTLE } from './api-handler';

/** DeleteTopics v1: removes the logs and the committed offsets of the topic. */
export const deleteTopicsHandler: ApiHandler = {
  apiKey: ApiKey.DeleteTopics,
  minVersion: 1,
  maxVersion: 1,
  async handle(request, broker) {
    const names = request.body.array((r) => r.string());
    request.body.int32(); // timeout
    const results = [];
    for (const name of names) {
      results.push({ name, error: await deleteTopic(name, broker) });
    }

    return new Writer().int32(NO_THROTTLE).array(results, (w, result) => {
      w.string(result.name).int16(result.error);
    });
  },
};

async function deleteTopic(name: string, broker: BrokerContext): Promise<ErrorCode> {
  if (!(await broker.topics.delete(name))) {
    return ErrorCode.UnknownTopicOrPartition;
  }
  // Parked fetches on the topic answer UNKNOWN_TOPIC_OR_PARTITION now instead of at timeout.
  broker.waiters.notifyTopic(name);
  await broker.coordinator.forgetTopic(name);

  return ErrorCode.None;
}
