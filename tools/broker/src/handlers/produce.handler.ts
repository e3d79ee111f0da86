import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { readBatchHeader, splitProducedBatches } from '../protocol/record-batch';
import { Writer } from '../protocol/writer';
import { PartitionLog } from '../storage/partition-log';
import { ApiHandler, BrokerContext, NO_THROTTLE } from './api-handler';

interface PartitionAnswer {
  partition: number;
  error: ErrorCode;
  baseOffset: number;
  logStartOffset: number;
}

/** Produce v3–7 (record batches, magic 2). */
export const produceHandler: ApiHandler = {
  apiKey: ApiKey.Produce,
  minVersion: 3,
  maxVersion: 7,
  async handle(request, broker) {
    request.body.nullableString(); // transactional id: no transactions here
    const acks = request.body.int16();
    request.body.int32(); // timeout: local writes need no replication wait
    const topics = request.body.array((r) => ({
      name: r.string(),
      partitions: r.array((pr) => ({ partition: pr.int32(), records: pr.nullableBytes() })),
    }));
    const answers = topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map(({ partition, records }) =>
        appendToPartition(broker, topic.name, partition, records),
      ),
    }));
    if (acks === 0) {
      // acks = 0 gets no response at all (pitfall 6); the writes still complete in order.
      answers.forEach((topic) => topic.partitions.forEach((p) => p.catch(() => undefined)));

      return null;
    }
    const settled = await Promise.all(
      answers.map(async (topic) => ({
        name: topic.name,
        partitions: await Promise.all(topic.partitions),
      })),
    );

    return encode(request.version, settled);
  },
};

/** Validates and queues the batches synchronously, so offsets follow request order. */
function appendToPartition(
  broker: BrokerContext,
  topic: string,
  partition: number,
  records: Buffer | null,
): Promise<PartitionAnswer> {
  const log = broker.topics.partition(topic, partition);
  const fail = (error: ErrorCode) =>
    Promise.resolve({
      partition,
      error,
      baseOffset: -1,
      logStartOffset: log?.logStartOffset ?? -1,
    });
  if (!log) {
    return fail(ErrorCode.UnknownTopicOrPartition);
  }
  const split = splitProducedBatches(records, broker.options.maxMessageBytes);
  if ('error' in split) {
    return fail(split.error);
  }
  const batches = split.batches.map((batch) => ({ batch, header: readBatchHeader(batch) }));
  const fresh = [];
  let duplicateOffset: number | null = null;
  for (const entry of batches) {
    const check = log.producers.check(entry.header);
    if (check.kind === 'reject') {
      return fail(check.error);
    }
    if (check.kind === 'duplicate') {
      duplicateOffset ??= check.baseOffset;
    } else {
      fresh.push(entry);
    }
  }
  if (fresh.length === 0) {
    // A retried batch that is already in the log: answer with where it went the first time.
    return Promise.resolve(answer(partition, duplicateOffset ?? -1, log));
  }

  return writeBatches(log, fresh, partition).catch(() => fail(ErrorCode.KafkaStorageError));
}

async function writeBatches(
  log: PartitionLog,
  batches: Parameters<PartitionLog['append']>[0],
  partition: number,
): Promise<PartitionAnswer> {
  const { baseOffset, written } = log.append(batches);
  await written;

  return answer(partition, baseOffset, log);
}

function answer(partition: number, baseOffset: number, log: PartitionLog): PartitionAnswer {
  return { partition, error: ErrorCode.None, baseOffset, logStartOffset: log.logStartOffset };
}

function encode(
  version: number,
  topics: Array<{ name: string; partitions: PartitionAnswer[] }>,
): Writer {
  const writer = new Writer();
  writer.array(topics, (w, topic) => {
    w.string(topic.name);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.partition).int16(p.error).int64(p.baseOffset);
      pw.int64(-1); // log_append_time: topics use CreateTime
      if (version >= 5) {
        pw.int64(p.logStartOffset);
      }
    });
  });

  // Produce is the one response with throttle_time_ms last.
  return writer.int32(NO_THROTTLE);
}
