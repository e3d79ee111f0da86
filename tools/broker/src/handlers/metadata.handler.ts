import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { Topic, topicNameError } from '../storage/topic-registry';
import { ApiHandler, BrokerContext, NODE_ID, NO_THROTTLE } from './api-handler';

interface TopicAnswer {
  error: ErrorCode;
  name: string;
  partitions: number;
}

/** Metadata v4–6; auto-creates topics when the request and the broker allow it (pitfall 10). */
export const metadataHandler: ApiHandler = {
  apiKey: ApiKey.Metadata,
  minVersion: 4,
  maxVersion: 6,
  async handle(request, broker) {
    const names = request.body.nullableArray((r) => r.string());
    const allowAutoCreate = request.body.boolean();
    const topics =
      names === null
        ? broker.topics.list().map(describe)
        : await Promise.all(names.map((name) => resolveTopic(name, allowAutoCreate, broker)));

    return encode(request.version, topics, broker);
  },
};

async function resolveTopic(
  name: string,
  allowAutoCreate: boolean,
  broker: BrokerContext,
): Promise<TopicAnswer> {
  const existing = broker.topics.get(name);
  if (existing) {
    return describe(existing);
  }
  const nameError = topicNameError(name);
  if (nameError !== ErrorCode.None) {
    return { error: nameError, name, partitions: 0 };
  }
  if (!allowAutoCreate || !broker.options.autoCreateTopics) {
    return { error: ErrorCode.UnknownTopicOrPartition, name, partitions: 0 };
  }
  const created = await broker.topics.getOrCreate(name, broker.options.defaultPartitions);

  return describe(created);
}

function describe(topic: Topic): TopicAnswer {
  return { error: ErrorCode.None, name: topic.name, partitions: topic.partitions.length };
}

function encode(version: number, topics: TopicAnswer[], broker: BrokerContext): Writer {
  const { host, port } = broker.advertised;
  const writer = new Writer().int32(NO_THROTTLE);
  writer.array([NODE_ID], (w) => w.int32(NODE_ID).string(host).int32(port).nullableString(null));
  writer.nullableString(broker.clusterId).int32(NODE_ID);
  writer.array(topics, (w, topic) => {
    w.int16(topic.error).string(topic.name).boolean(false);
    w.array(
      Array.from({ length: topic.partitions }, (_, i) => i),
      (pw, partition) => {
        pw.int16(ErrorCode.None).int32(partition).int32(NODE_ID);
        pw.array([NODE_ID], (rw, id) => rw.int32(id)); // replicas
        pw.array([NODE_ID], (rw, id) => rw.int32(id)); // in-sync replicas
        if (version >= 5) {
          pw.array([], () => undefined); // offline replicas
        }
      },
    );
  });

  return writer;
}
