import { randomBytes } from 'node:crypto';

import { IHeaders } from 'kafkajs';

import { KafkaSettings, createKafkaClient } from './kafka-client';

/** One record as read from a topic, value still raw. */
export interface TopicRecord {
  partition: number;
  offset: string;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

/**
 * Reads a topic from the beginning with a throw-away consumer group until `count` records have
 * arrived or `timeoutMs` passed, and returns them in offset order per partition. For tests and
 * tools that check what reached a topic without importing kafkajs themselves.
 */
export async function readTopic(
  settings: KafkaSettings,
  topic: string,
  count: number,
  timeoutMs = 15_000,
): Promise<TopicRecord[]> {
  const consumer = createKafkaClient(settings).consumer({
    groupId: `relate.read-topic.${randomBytes(6).toString('hex')}`,
    maxWaitTimeInMs: 200,
  });
  const records: TopicRecord[] = [];
  let enough: () => void = () => undefined;
  const reachedCount = new Promise<void>((resolve) => (enough = resolve));
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        records.push({
          partition,
          offset: message.offset,
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? null,
          headers: textHeaders(message.headers),
        });
        if (records.length >= count) {
          enough();
        }
      },
    });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      reachedCount,
      new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs))),
    ]);
    clearTimeout(timer);
  } finally {
    await consumer.disconnect();
  }

  return records.sort(
    (a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)),
  );
}

function textHeaders(headers: IHeaders | undefined): Record<string, string> {
  const text: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) {
      text[name] = first.toString();
    }
  }

  return text;
}
