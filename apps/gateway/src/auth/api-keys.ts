import { createHash } from 'node:crypto';

import { ConfigError } from '@relate/config';

/** Who an API key stands for. The key itself is never kept in clear or logged. */
export interface ApiKeyOwner {
  tenantId: string;
  /** The actor id written into events: a name given to the key, never the key. */
  name: string;
}

const TENANT_ID = /^[A-Za-z0-9_-]{1,64}$/;

function digest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The gateway's API keys, from `RELATE_API_KEYS` = `key=tenantId[:name],key2=tenant2`. A key
 * without a name gets `api-key-<first 8 hex digits of its SHA-256>`, which identifies it in
 * events and logs without disclosing it.
 */
export class ApiKeys {
  private readonly owners = new Map<string, ApiKeyOwner>();

  constructor(entries: Array<{ key: string } & Partial<ApiKeyOwner> & { tenantId: string }>) {
    for (const { key, tenantId, name } of entries) {
      if (!TENANT_ID.test(tenantId)) {
        throw new ConfigError([
          {
            variable: 'RELATE_API_KEYS',
            reason: 'names an invalid tenant id ([A-Za-z0-9_-], 1-64)',
          },
        ]);
      }
      const hash = digest(key);
      this.owners.set(hash, { tenantId, name: name ?? `api-key-${hash.slice(0, 8)}` });
    }
  }

  static parse(text: string): ApiKeys {
    const entries = text
      .split(',')
      .map((pair) => pair.trim())
      .filter((pair) => pair !== '')
      .map((pair) => {
        const separator = pair.indexOf('=');
        const key = pair.slice(0, separator);
        const [tenantId, name] = pair.slice(separator + 1).split(':');
        if (separator <= 0 || !tenantId) {
          throw new ConfigError([
            { variable: 'RELATE_API_KEYS', reason: 'must be key=tenantId[:name] pairs, by commas' },
          ]);
        }

        return { key, tenantId, name };
      });

    return new ApiKeys(entries);
  }

  /** Looks a key up by its digest, so the lookup time does not depend on the key's text. */
  ownerOf(key: string | undefined): ApiKeyOwner | undefined {
    return key ? this.owners.get(digest(key)) : undefined;
  }

  get size(): number {
    return this.owners.size;
  }
}
