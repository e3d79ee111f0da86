import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { BrokerLogger } from '../broker.config';
import { ErrorCode } from '../protocol/api-keys';
import { PartitionLog } from './partition-log';
import { syncDirectory } from './sync-directory';

export interface Topic {
  name: string;
  partitions: PartitionLog[];
}

export interface TopicRegistryOptions {
  dataDir: string;
  segmentBytes: number;
  fsync: boolean;
  logger: BrokerLogger;
  onAppended: (topic: string, partition: number) => void;
}

const TOPIC_FILE = 'topic.json';
const LEGAL_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** Kafka's topic name rule, so a name production would refuse fails in development too. */
export function topicNameError(name: string): ErrorCode {
  return LEGAL_NAME.test(name) && name !== '.' && name !== '..'
    ? ErrorCode.None
    : ErrorCode.InvalidTopic;
}

export class TopicExistsError extends Error {}

/**
 * Topics and their partition logs. On disk: `topics/<name>/topic.json` (written last, so a
 * folder without it is a creation that never finished) and one folder per partition.
 */
export class TopicRegistry {
  private readonly topics = new Map<string, Topic>();
  private readonly creating = new Map<string, Promise<Topic>>();
  private readonly deleting = new Map<string, Promise<void>>();

  private constructor(private readonly options: TopicRegistryOptions) {}

  static async open(options: TopicRegistryOptions): Promise<TopicRegistry> {
    const registry = new TopicRegistry(options);
    await registry.load();

    return registry;
  }

  get(name: string): Topic | undefined {
    return this.topics.get(name);
  }

  partition(name: string, index: number): PartitionLog | undefined {
    return this.topics.get(name)?.partitions[index];
  }

  list(): Topic[] {
    return [...this.topics.values()];
  }

  /** Creates the topic; concurrent calls for one name share the work. */
  async create(name: string, partitions: number): Promise<Topic> {
    if (this.topics.has(name)) {
      throw new TopicExistsError(name);
    }

    return this.getOrCreate(name, partitions);
  }

  async getOrCreate(name: string, partitions: number): Promise<Topic> {
    const existing = this.topics.get(name) ?? this.creating.get(name);
    if (existing) {
      return existing;
    }
    const creation = this.createOnDisk(name, partitions).finally(() => this.creating.delete(name));
    this.creating.set(name, creation);

    return creation;
  }

  /** Removes the topic and its logs; false if there was no such topic. */
  async delete(name: string): Promise<boolean> {
    const topic = this.topics.get(name);
    if (!topic) {
      return false;
    }
    this.topics.delete(name);
    const removal = this.removeFromDisk(topic).finally(() => this.deleting.delete(name));
    this.deleting.set(name, removal);
    await removal;
    this.options.logger.log('topic deleted', { topic: name });

    return true;
  }

  async close(): Promise<void> {
    await Promise.all([...this.creating.values(), ...this.deleting.values()]).catch(() => {});
    await Promise.all(this.list().flatMap((topic) => topic.partitions.map((log) => log.close())));
  }

  private get topicsDir(): string {
    return join(this.options.dataDir, 'topics');
  }

  private async load(): Promise<void> {
    await mkdir(this.topicsDir, { recursive: true });
    await rm(join(this.options.dataDir, 'trash'), { recursive: true, force: true });
    for (const name of await readdir(this.topicsDir)) {
      const partitions = await this.readPartitionCount(name);
      if (partitions === null) {
        this.options.logger.warn('unfinished topic removed', { topic: name });
        await rm(join(this.topicsDir, name), { recursive: true, force: true });
        continue;
      }
      this.topics.set(name, { name, partitions: await this.openPartitions(name, partitions) });
    }
  }

  private async readPartitionCount(name: string): Promise<number | null> {
    try {
      const raw = await readFile(join(this.topicsDir, name, TOPIC_FILE), 'utf8');
      const count = (JSON.parse(raw) as { partitions?: unknown }).partitions;

      return typeof count === 'number' && count > 0 ? count : null;
    } catch {
      return null;
    }
  }

  private async createOnDisk(name: string, partitions: number): Promise<Topic> {
    await this.deleting.get(name);
    const dir = join(this.topicsDir, name);
    await mkdir(dir, { recursive: true });
    const topic = { name, partitions: await this.openPartitions(name, partitions) };
    const file = join(dir, TOPIC_FILE);
    await writeFile(`${file}.tmp`, JSON.stringify({ partitions }), { flush: this.options.fsync });
    await rename(`${file}.tmp`, file);
    if (this.options.fsync) {
      await syncDirectory(dir);
      await syncDirectory(this.topicsDir);
    }
    this.topics.set(name, topic);
    this.options.logger.log('topic created', { topic: name, partitions });

    return topic;
  }

  private openPartitions(name: string, count: number): Promise<PartitionLog[]> {
    return Promise.all(
      Array.from({ length: count }, (_, partition) =>
        PartitionLog.open({
          dir: join(this.topicsDir, name, String(partition)),
          topic: name,
          partition,
          segmentBytes: this.options.segmentBytes,
          fsync: this.options.fsync,
          logger: this.options.logger,
          onAppended: () => this.options.onAppended(name, partition),
        }),
      ),
    );
  }

  private async removeFromDisk(topic: Topic): Promise<void> {
    await Promise.all(topic.partitions.map((log) => log.close()));
    // Moving the folder out first makes the removal atomic as far as a restart is concerned.
    const trash = join(this.options.dataDir, 'trash');
    await mkdir(trash, { recursive: true });
    const target = join(trash, `${topic.name}-${randomBytes(4).toString('hex')}`);
    await rename(join(this.topicsDir, topic.name), target);
    await rm(target, { recursive: true, force: true });
  }
}
