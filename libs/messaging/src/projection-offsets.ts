import { Admin } from 'kafkajs';

import { KafkaSettings, createKafkaClient } from './kafka-client';

/** A position in one partition: the next offset to read (a high watermark, or a commit). */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/**
 * What a rebuild needs to know from Kafka: where the topics end, how far a consumer group has
 * committed, and removing a group nobody uses any more. One admin connection, opened lazily.
 */
export class ProjectionOffsets {
  private admin: Admin | null = null;
  private connecting: Promise<Admin> | null = null;

  constructor(private readonly kafka: KafkaSettings) {}

  /** The end (high watermark) of every partition of the topics; a topic not yet created: none. */
  async endOffsets(topics: string[]): Promise<PartitionOffset[]> {
    const admin = await this.connect();
    const existing = new Set(await admin.listTopics());
    const ends: PartitionOffset[] = [];
    for (const topic of topics.filter((name) => existing.has(name))) {
      for (const { partition, high } of await admin.fetchTopicOffsets(topic)) {
        ends.push({ topic, partition, offset: high });
      }
    }

    return ends;
  }

  /** The group's committed offsets for the topics; a partition never committed: `-1`. */
  async committedOffsets(groupId: string, topics: string[]): Promise<PartitionOffset[]> {
    const admin = await this.connect();
    const existing = new Set(await admin.listTopics());
    const wanted = topics.filter((name) => existing.has(name));
    if (wanted.length === 0) {
      return [];
    }
    const answer = await admin.fetchOffsets({ groupId, topics: wanted });

    return answer.flatMap(({ topic, partitions }) =>
      partitions.map(({ partition, offset }) => ({ topic, partition, offset })),
    );
  }

  /** Deletes an empty consumer group and its committed offsets; an unknown group is no error. */
  async deleteGroup(groupId: string): Promise<void> {
    const admin = await this.connect();
    try {
      await admin.deleteGroups([groupId]);
    } catch (error) {
      if (!isGroupNotFound(error)) {
        throw error;
      }
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = null;
    this.connecting = null;
    await admin?.disconnect();
  }

  private async connect(): Promise<Admin> {
    if (this.admin) {
      return this.admin;
    }
    this.connecting ??= (async () => {
      const admin = createKafkaClient(this.kafka).admin();
      await admin.connect();
      this.admin = admin;

      return admin;
    })().finally(() => (this.connecting = null));

    return this.connecting;
  }
}

/** Whether the group has committed at least up to each target (an empty partition counts). */
export function hasPassed(targets: PartitionOffset[], committed: PartitionOffset[]): boolean {
  return targets.every((target) => {
    const reached = committed.find(
      (entry) => entry.topic === target.topic && entry.partition === target.partition,
    );
    const at = reached === undefined ? -1n : BigInt(reached.offset);

    return BigInt(target.offset) <= 0n || at >= BigInt(target.offset);
  });
}

/** Records between the group's commits and the ends: what it still has to read. */
export function lagOf(ends: PartitionOffset[], committed: PartitionOffset[]): number {
  let lag = 0n;
  for (const end of ends) {
    const reached = committed.find(
      (entry) => entry.topic === end.topic && entry.partition === end.partition,
    );
    const at = reached === undefined || BigInt(reached.offset) < 0n ? 0n : BigInt(reached.offset);
    lag += BigInt(end.offset) > at ? BigInt(end.offset) - at : 0n;
  }

  return Number(lag);
}

function isGroupNotFound(error: unknown): boolean {
  const inner = error as { type?: string; groups?: Array<{ error?: { type?: string } }> };

  const groups = inner.groups ?? [];

  return (
    inner.type === 'GROUP_ID_NOT_FOUND' ||
    (groups.length > 0 && groups.every((group) => group.error?.type === 'GROUP_ID_NOT_FOUND'))
  );
}
