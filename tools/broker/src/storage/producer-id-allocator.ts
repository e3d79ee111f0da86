import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const FILE = 'producer-ids.json';

/**
 * Hands out producer ids for idempotent producers. Ids never repeat across restarts: the next
 * id starts above both the persisted counter and every id found in the logs.
 */
export class ProducerIdAllocator {
  private saving: Promise<void> = Promise.resolve();

  private constructor(
    private readonly path: string,
    private next: bigint,
  ) {}

  static async open(dataDir: string, highestInLogs: bigint): Promise<ProducerIdAllocator> {
    const path = join(dataDir, FILE);
    const stored = await readFile(path, 'utf8')
      .then((text) => BigInt((JSON.parse(text) as { next: string }).next))
      .catch(() => 0n);
    const next = stored > highestInLogs ? stored : highestInLogs + 1n;

    return new ProducerIdAllocator(path, next);
  }

  allocate(): Promise<bigint> {
    const id = this.next++;
    const next = this.next.toString();
    // Chained so that concurrent allocations never interleave their writes of the same file.
    this.saving = this.saving
      .catch(() => undefined)
      .then(async () => {
        await writeFile(`${this.path}.tmp`, JSON.stringify({ next }));
        await rename(`${this.path}.tmp`, this.path);
      });

    return this.saving.then(() => id);
  }
}
