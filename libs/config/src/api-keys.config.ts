import { ValidateBy } from 'class-validator';

import { ConfigError } from './env.config';

/** Shorter keys are guessable. */
export const MIN_API_KEY_LENGTH = 16;

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const FORMAT = 'key=tenant or key=tenant:name, separated by commas';

/** One entry of `RELATE_API_KEYS`: a key, the tenant it opens and, if given, its name. */
export interface ApiKeyEntry {
  key: string;
  tenantId: string;
  name?: string;
}

type Parsed = { entries: ApiKeyEntry[] } | { problem: string };

// Reasons name entries by their position, never by the key: the setting is a secret.
function parse(text: string): Parsed {
  const pairs = text
    .split(',')
    .map((pair) => pair.trim())
    .filter((pair) => pair !== '');
  if (pairs.length === 0) {
    return { problem: `names no key (format: ${FORMAT})` };
  }
  const entries: ApiKeyEntry[] = [];
  const positions = new Map<string, number>();
  for (const [index, pair] of pairs.entries()) {
    const at = `entry ${index + 1}`;
    const separator = pair.indexOf('=');
    if (separator <= 0) {
      return { problem: `${at} is not ${FORMAT}` };
    }
    const key = pair.slice(0, separator);
    const owner = pair.slice(separator + 1);
    const colon = owner.indexOf(':');
    const tenantId = colon < 0 ? owner : owner.slice(0, colon);
    const name = colon < 0 ? undefined : owner.slice(colon + 1);
    if (!TENANT_ID.test(tenantId)) {
      return { problem: `${at} names an invalid tenant id (A-Z, a-z, 0-9, _ and -, 1-64)` };
    }
    if (name !== undefined && !/^[^\s=]{1,100}$/.test(name)) {
      return { problem: `${at} has an empty or invalid name after the colon` };
    }
    if (key.length < MIN_API_KEY_LENGTH || /\s/.test(key)) {
      return { problem: `${at} has a key shorter than ${MIN_API_KEY_LENGTH} characters or blanks` };
    }
    const earlier = positions.get(key);
    if (earlier !== undefined) {
      return { problem: `${at} repeats the key of entry ${earlier}` };
    }
    positions.set(key, index + 1);
    entries.push(name === undefined ? { key, tenantId } : { key, tenantId, name });
  }

  return { entries };
}

/** Why `RELATE_API_KEYS` is unusable, or undefined when it is fine. */
export function apiKeysProblem(text: string): string | undefined {
  const parsed = parse(text);

  return 'problem' in parsed ? parsed.problem : undefined;
}

/**
 * Parses `RELATE_API_KEYS` (`key=tenant[:name],key2=tenant2`); throws a ConfigError naming the
 * variable and the reason. Shared by the gateway and `npm start`, which checks it before it
 * starts anything.
 */
export function parseApiKeys(text: string): ApiKeyEntry[] {
  const parsed = parse(text);
  if ('problem' in parsed) {
    throw new ConfigError([{ variable: 'RELATE_API_KEYS', reason: parsed.problem }]);
  }

  return parsed.entries;
}

/** Validates a settings property as `RELATE_API_KEYS`. */
export const IsApiKeys = () =>
  ValidateBy({
    name: 'isApiKeys',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && apiKeysProblem(value) === undefined,
      defaultMessage: (args) =>
        typeof args?.value === 'string' ? (apiKeysProblem(args.value) ?? '') : 'must be text',
    },
  });
