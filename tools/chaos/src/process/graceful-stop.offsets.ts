import { Topics } from '@relate/contracts';
import { ProjectionOffsets, readTopic, TopicRecord } from '@relate/messaging';

import { ChaosStack } from '../support/chaos-stack';

/** A projection or reactor of the stopped service, as `GET /ops/read-models` named it. */
export interface ConsumerOfService {
  name: string;
  group: string;
}

/** How a stopped service's consumers and relay left Kafka and their tables. */
export interface StopLedger {
  consumers: number;
  /** Events behind a committed offset that the consumer never applied: lost for good. */
  committedNotApplied: number;
  /** Events applied whose offset was not committed: delivered again after the restart. */
  appliedNotCommitted: number;
  /** Events up to the relay's checkpoint that are not on the topic: lost for good. */
  relayedNotOnTopic: number;
  /** Committed events after the relay's checkpoint: published by the next relay. */
  waitingInOutbox: number;
}

interface Located {
  streamId: string;
  version: number;
  eventId: string;
  partition: number;
  offset: bigint;
}

/**
 * Reads, while the service is down, each of its consumer groups' committed offsets, the versions
 * its progress table says it applied, and what its topics hold, and compares them: a consumer
 * that stopped cleanly committed exactly what it applied. Also checks its outbox relay: every
 * event up to the checkpoint it saved is on its topic.
 */
export async function ledgerOfStoppedService(
  stack: ChaosStack,
  schema: string,
  consumers: ConsumerOfService[],
  ownTopic: string | undefined,
): Promise<StopLedger> {
  const kafka = { brokers: [stack.brokers], clientId: 'chaos-graceful-stop' };
  const offsets = new ProjectionOffsets(kafka);
  const ledger: StopLedger = {
    consumers: consumers.length,
    committedNotApplied: 0,
    appliedNotCommitted: 0,
    relayedNotOnTopic: 0,
    waitingInOutbox: 0,
  };
  try {
    const topics = Object.values(Topics) as string[];
    const ends = await offsets.endOffsets(topics);
    const contents = new Map<string, Located[]>();
    for (const topic of new Set(ends.map((end) => end.topic))) {
      const total = ends
        .filter((end) => end.topic === topic)
        .reduce((sum, end) => sum + Number(end.offset), 0);
      const records = total === 0 ? [] : await readTopic(kafka, topic, total, 20_000);
      if (records.length < total) {
        throw new Error(`read ${records.length} of ${total} records of ${topic}`);
      }
      contents.set(topic, records.map(locate));
    }
    for (const consumer of consumers) {
      const applied = new Map(
        (
          await stack.sql<{ stream_id: string; version: number }>(
            `SELECT stream_id, version FROM "${schema}".projection_stream_versions
             WHERE projection = $1`,
            [consumer.name],
          )
        ).map((row) => [row.stream_id, row.version]),
      );
      for (const { topic, partition, offset } of await offsets.committedOffsets(
        consumer.group,
        topics,
      )) {
        const committed = BigInt(offset);
        if (committed < 0n) continue;
        const seen = new Set<string>();
        for (const event of (contents.get(topic) ?? []).filter((e) => e.partition === partition)) {
          // A copy of an event published twice is judged by its first occurrence.
          const key = `${event.streamId}@${event.version}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const isApplied = (applied.get(event.streamId) ?? 0) >= event.version;
          if (event.offset < committed && !isApplied) ledger.committedNotApplied += 1;
          if (event.offset >= committed && isApplied) ledger.appliedNotCommitted += 1;
        }
      }
    }
    if (ownTopic !== undefined) {
      const onTopic = new Set((contents.get(ownTopic) ?? []).map((e) => e.eventId));
      const rows = await stack.sql<{ event_id: string; relayed: boolean }>(
        `SELECT e.event_id::text AS event_id,
           (e.transaction_id, e.position) <= (c.transaction_id, c.position) AS relayed
         FROM "${schema}".events e
         LEFT JOIN "${schema}".relay_checkpoints c ON c.name = $1`,
        [ownTopic],
      );
      for (const row of rows) {
        if (row.relayed && !onTopic.has(row.event_id)) ledger.relayedNotOnTopic += 1;
        if (!row.relayed) ledger.waitingInOutbox += 1;
      }
    }
  } finally {
    await offsets.close().catch(() => undefined);
  }

  return ledger;
}

function locate(record: TopicRecord): Located {
  const envelope = JSON.parse(record.value ?? '{}') as {
    id: string;
    streamId: string;
    streamVersion: number;
  };

  return {
    streamId: envelope.streamId,
    version: envelope.streamVersion,
    eventId: envelope.id,
    partition: record.partition,
    offset: BigInt(record.offset),
  };
}
