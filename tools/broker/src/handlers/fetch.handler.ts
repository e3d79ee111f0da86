import { WatchedPartition } from '../fetch/fetch-waiters';
import { ApiKey, ErrorCode } from '../protocol/api-keys';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { ApiHandler, BrokerContext, NO_THROTTLE } from './api-handler';

interface FetchRequest {
  maxWaitMs: number;
  minBytes: number;
  maxBytes: number;
  topics: Array<{
    topic: string;
    partitions: Array<{ partition: number; fetchOffset: bigint; maxBytes: number }>;
  }>;
}

interface PartitionData {
  partition: number;
  error: ErrorCode;
  highWatermark: number;
  logStartOffset: number;
  records: Buffer;
}

interface FetchOutcome {
  topics: Array<{ topic: string; partitions: PartitionData[] }>;
  bytes: number;
  hasError: boolean;
  watched: WatchedPartition[];
}

/**
 * Fetch v4–11 with long polling: with less than min_bytes available the request parks until an
 * append to one of its partitions or max_wait_ms, whichever comes first.
 */
export const fetchHandler: ApiHandler = {
  apiKey: ApiKey.Fetch,
  minVersion: 4,
  maxVersion: 11,
  async handle(request, broker) {
    const asked = decode(request.body, request.version);
    // Kafka caps every answer at its own fetch.max.bytes too, whatever the client asks for.
    const fetch = { ...asked, maxBytes: Math.min(asked.maxBytes, broker.options.fetchMaxBytes) };
    const deadline = Date.now() + fetch.maxWaitMs;
    for (;;) {
      const outcome = await collect(fetch, broker);
      const remainingMs = deadline - Date.now();
      if (outcome.bytes >= fetch.minBytes || outcome.hasError || remainingMs <= 0) {
        return encode(request.version, outcome);
      }
      const reason = await broker.waiters.wait(outcome.watched, remainingMs);
      if (reason === 'closed') {
        return encode(request.version, outcome);
      }
    }
  },
};

function decode(body: Reader, version: number): FetchRequest {
  body.int32(); // replica id: always a consumer here
  const maxWaitMs = body.int32();
  const minBytes = body.int32();
  const maxBytes = body.int32();
  body.int8(); // isolation level: without transactions LSO = HWM, so both levels read alike
  if (version >= 7) {
    body.int32(); // session id: fetch sessions are not offered, every fetch is a full one
    body.int32(); // session epoch
  }
  const topics = body.array((r) => ({
    topic: r.string(),
    partitions: r.array((pr) => {
      const partition = pr.int32();
      if (version >= 9) {
        pr.int32(); // current leader epoch
      }
      const fetchOffset = pr.int64();
      if (version >= 5) {
        pr.int64(); // the follower's log start offset
      }

      return { partition, fetchOffset, maxBytes: pr.int32() };
    }),
  }));

  return { maxWaitMs, minBytes, maxBytes, topics };
}

async function collect(fetch: FetchRequest, broker: BrokerContext): Promise<FetchOutcome> {
  const outcome: FetchOutcome = { topics: [], bytes: 0, hasError: false, watched: [] };
  for (const { topic, partitions } of fetch.topics) {
    const answers: PartitionData[] = [];
    for (const request of partitions) {
      const data = await readPartition(
        broker,
        topic,
        request,
        fetch.maxBytes - outcome.bytes,
        outcome.bytes === 0,
      );
      outcome.bytes += data.records.length;
      outcome.hasError ||= data.error !== ErrorCode.None;
      answers.push(data);
      const log = broker.topics.partition(topic, request.partition);
      if (log && data.error === ErrorCode.None) {
        outcome.watched.push({
          topic,
          partition: request.partition,
          seenHighWatermark: data.highWatermark,
          currentHighWatermark: () => log.highWatermark,
        });
      }
    }
    outcome.topics.push({ topic, partitions: answers });
  }

  return outcome;
}

async function readPartition(
  broker: BrokerContext,
  topic: string,
  request: FetchRequest['topics'][number]['partitions'][number],
  responseBytesLeft: number,
  atLeastOne: boolean,
): Promise<PartitionData> {
  const { partition, fetchOffset } = request;
  const log = broker.topics.partition(topic, partition);
  const empty = Buffer.alloc(0);
  if (!log) {
    const error = ErrorCode.UnknownTopicOrPartition;

    return { partition, error, highWatermark: -1, logStartOffset: -1, records: empty };
  }
  const highWatermark = log.highWatermark;
  const logStartOffset = log.logStartOffset;
  const base = { partition, highWatermark, logStartOffset };
  // Only an offset beyond the end is out of range; offset = HWM just means "nothing new yet".
  if (fetchOffset < BigInt(logStartOffset) || fetchOffset > BigInt(highWatermark)) {
    return { ...base, error: ErrorCode.OffsetOutOfRange, records: empty };
  }
  const limit = Math.max(0, Math.min(request.maxBytes, responseBytesLeft));
  try {
    const records = await log.read(Number(fetchOffset), limit, atLeastOne);

    return { ...base, error: ErrorCode.None, records };
  } catch {
    // The log closed under us: its topic was deleted, or the broker is shutting down.
    const error = broker.topics.get(topic)
      ? ErrorCode.KafkaStorageError
      : ErrorCode.UnknownTopicOrPartition;

    return { ...base, error, records: empty };
  }
}

function encode(version: number, outcome: FetchOutcome): Writer {
  const writer = new Writer().int32(NO_THROTTLE);
  if (version >= 7) {
    writer.int16(ErrorCode.None).int32(0); // no fetch session
  }
  writer.array(outcome.topics, (w, topic) => {
    w.string(topic.topic);
    w.array(topic.partitions, (pw, p) => {
      pw.int32(p.partition).int16(p.error).int64(p.highWatermark);
      pw.int64(p.highWatermark); // last stable offset: no transactions, so LSO = HWM
      if (version >= 5) {
        pw.int64(p.logStartOffset);
      }
      pw.array([], () => undefined); // aborted transactions
      if (version >= 11) {
        pw.int32(-1); // preferred read replica: none
      }
      pw.bytes(p.records);
    });
  });

  return writer;
}
