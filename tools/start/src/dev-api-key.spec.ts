import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { devApiKeyFile, ensureDevApiKey } from './dev-api-key';

describe('ensureDevApiKey', () => {
  it('makes a random key once, private to the user, and finds it again', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'relate-key-')), '.data');

    const first = ensureDevApiKey(dataDir);
    const second = ensureDevApiKey(dataDir);

    expect(first.created).toBe(true);
    expect(first.key).toMatch(/^relate_dev_[A-Za-z0-9_-]{32}$/);
    expect(second).toEqual({ key: first.key, created: false });
    expect(readFileSync(devApiKeyFile(dataDir), 'utf8')).toBe(`${first.key}\n`);
    expect(statSync(devApiKeyFile(dataDir)).mode & 0o777).toBe(0o600);
  });

  it('gives two data folders two different keys', () => {
    const a = ensureDevApiKey(mkdtempSync(join(tmpdir(), 'relate-key-')));
    const b = ensureDevApiKey(mkdtempSync(join(tmpdir(), 'relate-key-')));

    expect(a.key).not.toBe(b.key);
  });
});
