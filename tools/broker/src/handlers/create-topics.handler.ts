import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { topicNameError } from '../storage/topic-registry';
import { ApiHandler, BrokerContext, NO_THROTTLE } from './api-handler';

interface TopicRequest {
  name: string;
  partitions: number;
  replicationFactor: number;
  assignments: Array<{ partition: number; brokerIds: number[] }>;
}

interface TopicResult {
  name: string;
  error: ErrorCode;
  message: string | null;
}

/** CreateTopics v2–3 with Kafka's validation; -1 counts mean the broker defaults. */
export const createTopicsHandler: ApiHandler = {
  apiKey: ApiKey.CreateTopics,
  minVersion: 2,
  maxVersion: 3,
  async handle(request, broker) {
    const { body } = request;
    const topics = body.array((r) => ({
      name: r.string(),
      partitions: r.int32(),
      replicationFactor: r.int16(),
      assignments: r.array((ar) => ({
        partition: ar.int32(),
        brokerIds: ar.array((br) => br.int32()),
      })),
      // Topic configs (retention, cleanup policy…) do not apply to this broker's logs.
      configs: r.array((cr) => ({ name: cr.string(), value: cr.nullableString() })),
    }));
    body.int32(); // timeout
    const validateOnly = body.boolean();
    const seen = new Set<string>();
    const results: TopicResult[] = [];
    for (const topic of topics) {
      const duplicate = seen.has(topic.name);
      seen.add(topic.name);
      results.push(
        duplicate
          ? { name: topic.name, error: ErrorCode.InvalidRequest, message: 'duplicate topic' }
          : await createTopic(topic, validateOnly, broker),
      );
    }

    return new Writer().int32(NO_THROTTLE).array(results, (w, result) => {
      w.string(result.name).int16(result.error).nullableString(result.message);
    });
  },
};

async function createTopic(
  topic: TopicRequest,
  validateOnly: boolean,
  broker: BrokerContext,
): Promise<TopicResult> {
  const fail = (error: ErrorCode, message: string) => ({ name: topic.name, error, message });
  if (topicNameError(topic.name) !== ErrorCode.None) {
    return fail(ErrorCode.InvalidTopic, 'topic names use 1-249 of [a-zA-Z0-9._-]');
  }
  if (broker.topics.get(topic.name)) {
    return fail(ErrorCode.TopicAlreadyExists, `topic ${topic.name} already exists`);
  }
  const partitions = partitionCount(topic, broker.options.defaultPartitions);
  if (partitions < 1) {
    return fail(ErrorCode.InvalidPartitions, 'partitions must be at least 1');
  }
  if (topic.assignments.some((a) => a.brokerIds.some((id) => id !== 0))) {
    return fail(ErrorCode.InvalidReplicaAssignment, 'the only broker is node 0');
  }
  // A single node holds one replica, exactly like a one-broker Kafka would insist.
  if (
    topic.replicationFactor > 1 ||
    topic.replicationFactor === 0 ||
    topic.replicationFactor < -1
  ) {
    return fail(ErrorCode.InvalidReplicationFactor, 'replication factor must be 1 on one broker');
  }
  if (!validateOnly) {
    await broker.topics.create(topic.name, partitions);
  }

  return { name: topic.name, error: ErrorCode.None, message: null };
}

function partitionCount(topic: TopicRequest, defaultPartitions: number): number {
  if (topic.assignments.length > 0) {
    return topic.assignments.length;
  }

  return topic.partitions === -1 ? defaultPartitions : topic.partitions;
}
