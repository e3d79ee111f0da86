import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface ImportConfig {
  folder: string;
  baseUrl: string;
  apiKey: string;
  concurrency: number;
  summaryTimeoutMs: number;
}

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');

/** Where `npm start` keeps the development API key (RELATE_DATA_DIR, default `.data`). */
export function devApiKeyFile(env: NodeJS.ProcessEnv): string {
  return join(resolve(REPO_ROOT, env.RELATE_DATA_DIR || '.data'), 'dev-api-key');
}

export class ImportConfigError extends Error {
  override readonly name = 'ImportConfigError';
}

const USAGE = 'usage: npm run import -- <folder with accounts.csv, products.csv, ...>';

/** Reads the command line and the environment once, at the entry point. */
export function readImportConfig(argv: string[], env: NodeJS.ProcessEnv): ImportConfig {
  const [folder] = argv;
  if (!folder || folder.startsWith('-')) throw new ImportConfigError(USAGE);
  if (!existsSync(folder)) throw new ImportConfigError(`no such folder: ${folder}`);
  const concurrency = Number(env.RELATE_IMPORT_CONCURRENCY ?? 16);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new ImportConfigError('RELATE_IMPORT_CONCURRENCY must be a positive whole number');
  }

  return {
    folder,
    baseUrl: env.RELATE_URL || 'http://127.0.0.1:3000',
    apiKey: env.RELATE_API_KEY || readDevApiKey(devApiKeyFile(env)),
    concurrency,
    summaryTimeoutMs: 120_000,
  };
}

function readDevApiKey(file: string): string {
  if (!existsSync(file)) {
    const hint = 'set RELATE_API_KEY, or run `npm start` once to create the development key';
    throw new ImportConfigError(`no API key: ${hint}`);
  }

  return readFileSync(file, 'utf8').trim();
}
