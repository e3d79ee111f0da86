import { FileHandle, mkdir, open, readFile, rename, truncate } from 'node:fs/promises';
import { join } from 'node:path';

import { BrokerLogger } from '../broker.config';
import { GroupCommitQueue } from './group-commit-queue';
import { syncDirectory } from './sync-directory';

export interface CommittedOffset {
  offset: bigint;
  metadata: string | null;
  commitTimestamp: number;
}

export interface OffsetCommitEntry {
  topic: string;
  partition: number;
  offset: bigint;
  metadata: string | null;
}

/** One journal line; `o: null` removes the entry. */
interface JournalLine {
  g: string;
  t: string;
  p: number;
  o: string | null;
  m?: string | null;
  ts?: number;
}

const JOURNAL = 'offsets.jsonl';
const COMPACT_MIN_LINES = 10_000;

/**
 * Committed consumer group offsets. An append-only journal of JSON lines, replayed at startup
 * and rewritten when it has grown well past the live entries.
 */
export class OffsetStore {
  private readonly groups = new Map<string, Map<string, CommittedOffset>>();
  private readonly writes: GroupCommitQueue<JournalLine[]>;
  private handle!: FileHandle;
  private lines = 0;

  private constructor(
    private readonly dir: string,
    private readonly fsync: boolean,
    private readonly logger: BrokerLogger,
  ) {
    this.writes = new GroupCommitQueue((batches) => this.writeLines(batches.flat()));
  }

  static async open(options: {
    dataDir: string;
    fsync: boolean;
    logger: BrokerLogger;
  }): Promise<OffsetStore> {
    const store = new OffsetStore(join(options.dataDir, 'groups'), options.fsync, options.logger);
    await mkdir(store.dir, { recursive: true });
    await store.load();

    return store;
  }

  get(group: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.groups.get(group)?.get(entryKey(topic, partition));
  }

  /** Every committed partition of the group. */
  list(group: string): Array<{ topic: string; partition: number; committed: CommittedOffset }> {
    return [...(this.groups.get(group) ?? new Map<string, CommittedOffset>())].map(
      ([key, committed]) => ({ ...splitKey(key), committed }),
    );
  }

  groupIds(): string[] {
    return [...this.groups.keys()];
  }

  /** Resolves once the commit is in the journal (and synced, by policy). */
  commit(group: string, entries: OffsetCommitEntry[]): Promise<void> {
    const ts = Date.now();
    const lines = entries.map((entry) => ({
      g: group,
      t: entry.topic,
      p: entry.partition,
      o: entry.offset.toString(),
      m: entry.metadata,
      ts,
    }));
    lines.forEach((line) => this.apply(line));

    return this.writes.push(lines);
  }

  deleteGroup(group: string): Promise<void> {
    return this.remove(this.list(group).map((entry) => ({ group, ...entry })));
  }

  deleteTopic(topic: string): Promise<void> {
    const doomed = this.groupIds().flatMap((group) =>
      this.list(group)
        .filter((entry) => entry.topic === topic)
        .map((entry) => ({ group, ...entry })),
    );

    return this.remove(doomed);
  }

  async close(): Promise<void> {
    await this.writes.idle();
    await this.handle.close();
  }

  private remove(entries: Array<{ group: string; topic: string; partition: number }>) {
    if (entries.length === 0) {
      return Promise.resolve();
    }
    const lines = entries.map(({ group, topic, partition }) => ({
      g: group,
      t: topic,
      p: partition,
      o: null,
    }));
    lines.forEach((line) => this.apply(line));

    return this.writes.push(lines);
  }

  private apply(line: JournalLine): void {
    let group = this.groups.get(line.g);
    if (line.o === null) {
      group?.delete(entryKey(line.t, line.p));
      if (group?.size === 0) {
        this.groups.delete(line.g);
      }

      return;
    }
    if (!group) {
      group = new Map();
      this.groups.set(line.g, group);
    }
    group.set(entryKey(line.t, line.p), {
      offset: BigInt(line.o),
      metadata: line.m ?? null,
      commitTimestamp: line.ts ?? 0,
    });
  }

  private get path(): string {
    return join(this.dir, JOURNAL);
  }

  private async load(): Promise<void> {
    const text = await readFile(this.path, 'utf8').catch(() => '');
    const complete = text.slice(0, text.lastIndexOf('\n') + 1);
    if (complete.length < text.length) {
      this.logger.warn('offset journal tail truncated', {
        droppedBytes: Buffer.byteLength(text) - Buffer.byteLength(complete),
      });
      await truncate(this.path, Buffer.byteLength(complete));
    }
    for (const raw of complete.split('\n').filter((line) => line.length > 0)) {
      try {
        this.apply(JSON.parse(raw) as JournalLine);
        this.lines++;
      } catch {
        this.logger.warn('unreadable offset journal line skipped', { length: raw.length });
      }
    }
    if (this.lines > COMPACT_MIN_LINES) {
      await this.rewrite();
    } else {
      this.handle = await open(this.path, 'a');
      if (this.fsync) {
        await syncDirectory(this.dir);
      }
    }
  }

  private async writeLines(lines: JournalLine[]): Promise<void> {
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    await this.handle.appendFile(text);
    if (this.fsync) {
      await this.handle.datasync();
    }
    this.lines += lines.length;
    if (this.lines > COMPACT_MIN_LINES && this.lines > 4 * this.liveEntries()) {
      await this.handle.close();
      await this.rewrite();
    }
  }

  /** Replaces the journal with one line per live entry (write, sync, rename). */
  private async rewrite(): Promise<void> {
    const lines = this.groupIds().flatMap((group) =>
      this.list(group).map(({ topic, partition, committed }) => ({
        g: group,
        t: topic,
        p: partition,
        o: committed.offset.toString(),
        m: committed.metadata,
        ts: committed.commitTimestamp,
      })),
    );
    const temporary = `${this.path}.tmp`;
    const text = lines.map((line) => `${JSON.stringify(line)}\n`).join('');
    const handle = await open(temporary, 'w');
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
    await rename(temporary, this.path);
    await syncDirectory(this.dir);
    this.lines = lines.length;
    this.handle = await open(this.path, 'a');
  }

  private liveEntries(): number {
    let count = 0;
    this.groups.forEach((group) => (count += group.size));

    return count;
  }
}

function entryKey(topic: string, partition: number): string {
  return `${partition}:${topic}`;
}

function splitKey(key: string): { topic: string; partition: number } {
  const colon = key.indexOf(':');

  return { topic: key.slice(colon + 1), partition: Number(key.slice(0, colon)) };
}
