import { createHash } from 'node:crypto';

import { ApiKeyEntry, parseApiKeys } from '@relate/config';

/** Who an API key stands for. The key itself is never kept in clear or logged. */
export interface ApiKeyOwner {
  tenantId: string;
  /** The actor id written into events: a name given to the key, never the key. */
  name: string;
}

function digest(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/**
 * The gateway's API keys, from `RELATE_API_KEYS` = `key=tenant[:name],key2=tenant2` (parsed and
 * checked by @relate/config, as `npm start` does before it starts anything). A key without a
 * name gets `api-key-<first 8 hex digits of its SHA-256>`, which identifies it in events and
 * logs without disclosing it.
 */
export class ApiKeys {
  private readonly owners = new Map<string, ApiKeyOwner>();

  constructor(entries: ApiKeyEntry[]) {
    for (const { key, tenantId, name } of entries) {
      const hash = digest(key);
      this.owners.set(hash, { tenantId, name: name ?? `api-key-${hash.slice(0, 8)}` });
    }
  }

  static parse(text: string): ApiKeys {
    return new ApiKeys(parseApiKeys(text));
  }

  /** Looks a key up by its digest, so the lookup time does not depend on the key's text. */
  ownerOf(key: string | undefined): ApiKeyOwner | undefined {
    return key ? this.owners.get(digest(key)) : undefined;
  }

  get size(): number {
    return this.owners.size;
  }
}
