import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { ImportConfigError, readImportConfig } from './import.config';

describe('readImportConfig', () => {
  const folder = mkdtempSync(join(tmpdir(), 'relate-import-'));
  const dataDir = join(folder, '.data');
  mkdirSync(dataDir);
  writeFileSync(join(dataDir, 'dev-api-key'), 'relate_dev_abc\n');

  it('talks to the local gateway with the key npm start made', () => {
    const config = readImportConfig([folder], { RELATE_DATA_DIR: dataDir });

    expect(config).toMatchObject({
      folder,
      baseUrl: 'http://127.0.0.1:3000',
      apiKey: 'relate_dev_abc',
      concurrency: 16,
    });
  });

  it('takes the address, key and pool size from the environment', () => {
    const env = {
      RELATE_URL: 'http://127.0.0.1:8080',
      RELATE_API_KEY: 'k',
      RELATE_IMPORT_CONCURRENCY: '4',
    };

    expect(readImportConfig([folder], env)).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080',
      apiKey: 'k',
      concurrency: 4,
    });
  });

  it('explains what is missing', () => {
    expect(() => readImportConfig([], {})).toThrow('usage: npm run import -- <folder');
    expect(() => readImportConfig([join(folder, 'nope')], {})).toThrow('no such folder');
    expect(() => readImportConfig([folder], { RELATE_DATA_DIR: join(folder, 'empty') })).toThrow(
      ImportConfigError,
    );
  });
});
