import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Writer } from '../protocol/writer';
import { PartitionLog } from '../storage/partition-log';
import { ApiHandler, NO_THROTTLE } from './api-handler';

const LATEST = -1n;
const EARLIEST = -2n;

interface OffsetAnswer {
  partition: number;
  error: ErrorCode;
  timestamp: bigint;
  offset: bigint;
}

/** ListOffsets v1–3: -1 latest (HWM), -2 earliest, otherwise the first offset at a time. */
export const listOffsetsHandler: ApiHandler = {
  apiKey: ApiKey.ListOffsets,
  minVersion: 1,
  maxVersion: 3,
  async handle(request, broker) {
    request.body.int32(); // replica id
    if (request.version >= 2) {
      request.body.int8(); // isolation level: LSO = HWM here
    }
    const topics = request.body.array((r) => ({
      name: r.string(),
      partitions: r.array((pr) => ({ partition: pr.int32(), timestamp: pr.int64() })),
    }));
    const answers = await Promise.all(
      topics.map(async (topic) => ({
        name: topic.name,
        partitions: await Promise.all(
          topic.partitions.map(({ partition, timestamp }) =>
            lookup(broker.topics.partition(topic.name, partition), partition, timestamp),
          ),
        ),
      })),
    );
    const writer = new Writer();
    if (request.version >= 2) {
      writer.int32(NO_THROTTLE);
    }

    return writer.array(answers, (w, topic) => {
      w.string(topic.name);
      w.array(topic.partitions, (pw, p) =>
        pw.int32(p.partition).int16(p.error).int64(p.timestamp).int64(p.offset),
      );
    });
  },
};

async function lookup(
  log: PartitionLog | undefined,
  partition: number,
  timestamp: bigint,
): Promise<OffsetAnswer> {
  if (!log) {
    return { partition, error: ErrorCode.UnknownTopicOrPartition, timestamp: -1n, offset: -1n };
  }
  const found = (offset: number) => ({
    partition,
    error: ErrorCode.None,
    timestamp: -1n,
    offset: BigInt(offset),
  });
  if (timestamp === LATEST) {
    return found(log.highWatermark);
  }
  if (timestamp === EARLIEST) {
    return found(log.logStartOffset);
  }
  const hit = await log.offsetForTimestamp(Number(timestamp));

  return hit
    ? {
        partition,
        error: ErrorCode.None,
        timestamp: BigInt(hit.timestamp),
        offset: BigInt(hit.offset),
      }
    : { partition, error: ErrorCode.None, timestamp: -1n, offset: -1n };
}
