import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The tenant that the development key opens. */
export const DEV_TENANT_ID = '00000000-0000-4000-8000-00000000de00';

export const devApiKeyFile = (dataDir: string) => join(dataDir, 'dev-api-key');

/**
 * The development API key: made once at random and kept in the data folder, so the key printed
 * by the first `npm start` keeps working, and the import finds it without being told.
 */
export function ensureDevApiKey(dataDir: string): { key: string; created: boolean } {
  const file = devApiKeyFile(dataDir);
  if (existsSync(file)) {
    const key = readFileSync(file, 'utf8').trim();
    if (key) return { key, created: false };
  }
  mkdirSync(dirname(file), { recursive: true });
  const key = `relate_dev_${randomBytes(24).toString('base64url')}`;
  writeFileSync(file, `${key}\n`, { mode: 0o600 });

  return { key, created: true };
}
