import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { ApiHandler, NO_THROTTLE } from './api-handler';

/** OffsetCommit v2–5: the offsets are on disk before the response goes out. */
export const offsetCommitHandler: ApiHandler = {
  apiKey: ApiKey.OffsetCommit,
  minVersion: 2,
  maxVersion: 5,
  async handle(request, broker) {
    const { body, version } = request;
    const groupId = body.string();
    const generationId = body.int32();
    const memberId = body.string();
    if (version <= 4) {
      body.int64(); // retention time: committed offsets are kept until deleted
    }
    const topics = body.array((r) => ({
      name: r.string(),
      // Any int64 is accepted, -1 and -2 included: kafkajs commits those after a reset.
      partitions: r.array((pr) => ({
        partition: pr.int32(),
        offset: pr.int64(),
        metadata: pr.nullableString(),
      })),
    }));
    // As Kafka: a partition that does not exist is answered UNKNOWN_TOPIC_OR_PARTITION and its
    // offset is not stored; the others are committed as usual.
    const exists = (topic: string, partition: number) =>
      broker.topics.partition(topic, partition) !== undefined;
    const entries = topics.flatMap((topic) =>
      topic.partitions
        .filter((p) => exists(topic.name, p.partition))
        .map((p) => ({ topic: topic.name, ...p })),
    );
    const error =
      entries.length === 0 && topics.some((topic) => topic.partitions.length > 0)
        ? ErrorCode.None
        : await broker.coordinator.commitOffsets(groupId, memberId, generationId, entries);
    const writer = new Writer();
    if (version >= 3) {
      writer.int32(NO_THROTTLE);
    }

    return writer.array(topics, (w, topic) => {
      w.string(topic.name).array(topic.partitions, (pw, p) =>
        pw
          .int32(p.partition)
          .int16(exists(topic.name, p.partition) ? error : ErrorCode.UnknownTopicOrPartition),
      );
    });
  },
};
