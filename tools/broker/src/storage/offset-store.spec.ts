import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { RecordingLogger } from '../testing/broker-fixture';
import { OffsetStore } from './offset-store';

describe(OffsetStore.name, () => {
  let dataDir: string;
  let logger: RecordingLogger;
  const open = () => OffsetStore.open({ dataDir, fsync: true, logger });

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'offset-store-spec-'));
    logger = new RecordingLogger();
  });

  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps commits across a reopen, the latest one winning', async () => {
    const store = await open();
    await store.commit('g', [{ topic: 't', partition: 0, offset: 5n, metadata: null }]);
    await store.commit('g', [
      { topic: 't', partition: 0, offset: 9n, metadata: 'm' },
      { topic: 't', partition: 1, offset: -1n, metadata: null },
    ]);
    await store.close();

    const reopened = await open();

    expect(reopened.get('g', 't', 0)).toMatchObject({ offset: 9n, metadata: 'm' });
    expect(reopened.get('g', 't', 1)?.offset).toBe(-1n);
    expect(reopened.get('other', 't', 0)).toBeUndefined();
    await reopened.close();
  });

  it('drops a half-written last line with a warning', async () => {
    const store = await open();
    await store.commit('g', [{ topic: 't', partition: 0, offset: 3n, metadata: null }]);
    await store.close();
    const journal = join(dataDir, 'groups', 'offsets.jsonl');
    await appendFile(journal, '{"g":"g","t":"t","p":0,"o":"4');

    const reopened = await open();

    expect(reopened.get('g', 't', 0)?.offset).toBe(3n);
    expect(logger.messages('warn')).toContain('offset journal tail truncated');
    expect((await readFile(journal, 'utf8')).endsWith('\n')).toBe(true);
    await reopened.close();
  });

  it('forgets a deleted topic and a deleted group for good', async () => {
    const store = await open();
    await store.commit('g1', [{ topic: 'gone', partition: 0, offset: 1n, metadata: null }]);
    await store.commit('g2', [{ topic: 'kept', partition: 0, offset: 2n, metadata: null }]);
    await store.deleteTopic('gone');
    await store.deleteGroup('g2');
    await store.close();

    const reopened = await open();

    expect(reopened.groupIds()).toEqual([]);
    await reopened.close();
  });

  it('rewrites a journal grown far past its live entries, keeping the latest values', async () => {
    const store = await OffsetStore.open({ dataDir, fsync: false, logger });
    const commits = Array.from({ length: 12_000 }, (_, i) =>
      store.commit('g', [{ topic: 't', partition: i % 3, offset: BigInt(i), metadata: null }]),
    );
    await Promise.all(commits);
    await store.close();
    const journal = await readFile(join(dataDir, 'groups', 'offsets.jsonl'), 'utf8');

    expect(journal.split('\n').length).toBeLessThan(5_000);
    const reopened = await open();
    expect([0, 1, 2].map((p) => reopened.get('g', 't', p)?.offset)).toEqual([
      11_997n,
      11_998n,
      11_999n,
    ]);
    await reopened.close();
  });
});
