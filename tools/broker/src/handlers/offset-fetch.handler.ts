import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { OffsetFetchResult } from '../groups/group-coordinator';
import { ApiHandler, NO_THROTTLE } from './api-handler';

/** OffsetFetch v1–4; a partition without a commit reads as offset -1, metadata "". */
export const offsetFetchHandler: ApiHandler = {
  apiKey: ApiKey.OffsetFetch,
  minVersion: 1,
  maxVersion: 4,
  handle(request, broker) {
    const { body, version } = request;
    const groupId = body.string();
    const topics = body.nullableArray((r) => ({
      topic: r.string(),
      partitions: r.array((pr) => pr.int32()),
    }));
    const results = broker.coordinator.fetchOffsets(groupId, topics);
    const writer = new Writer();
    if (version >= 3) {
      writer.int32(NO_THROTTLE);
    }
    writer.array(groupByTopic(results), (w, [topic, partitions]) => {
      w.string(topic).array(partitions, (pw, { partition, committed }) => {
        pw.int32(partition).int64(committed?.offset ?? -1n);
        pw.nullableString(committed ? committed.metadata : '').int16(ErrorCode.None);
      });
    });
    if (version >= 2) {
      writer.int16(ErrorCode.None);
    }

    return writer;
  },
};

function groupByTopic(results: OffsetFetchResult[]): Array<[string, OffsetFetchResult[]]> {
  const byTopic = new Map<string, OffsetFetchResult[]>();
  for (const result of results) {
    const list = byTopic.get(result.topic) ?? [];
    list.push(result);
    byTopic.set(result.topic, list);
  }

  return [...byTopic];
}
