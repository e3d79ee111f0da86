import { parseEnv } from './env.config';
import { apiKeysProblem, parseApiKeys } from './api-keys.config';
import { GatewayEnv } from './service.config';

const KEY = 'k1-0123456789abcdef';
const OTHER = 'k2-0123456789abcdef';

describe(parseApiKeys.name, () => {
  it('reads key=tenant and key=tenant:name pairs', () => {
    expect(parseApiKeys(`${KEY}=tenant-a:importer, ${OTHER}=tenant-b`)).toEqual([
      { key: KEY, tenantId: 'tenant-a', name: 'importer' },
      { key: OTHER, tenantId: 'tenant-b' },
    ]);
  });

  it.each([
    ['k1', 'entry 1 is not key=tenant or key=tenant:name'],
    [`${KEY}=tenant a`, 'entry 1 names an invalid tenant id'],
    ['=tenant-a', 'entry 1 is not key=tenant'],
    [`${KEY}=tenant-a,${KEY}=tenant-b`, 'entry 2 repeats the key of entry 1'],
    ['short-key=tenant-a', 'entry 1 has a key shorter than 16 characters'],
    [`${KEY}=tenant-a:`, 'entry 1 has an empty or invalid name'],
    [' , ', 'names no key'],
  ])('refuses %j: %s', (text, reason) => {
    expect(apiKeysProblem(text)).toContain(reason);
    expect(() => parseApiKeys(text)).toThrow(`RELATE_API_KEYS ${reason}`);
  });

  it('never shows a key in its reasons', () => {
    expect(apiKeysProblem(`${KEY}=tenant-a,${KEY}=tenant-b`)).not.toContain(KEY);
  });

  it('fails the gateway settings the same way', () => {
    const env = { CONTACTS_URL: 'http://127.0.0.1:1', PIPELINE_URL: 'http://127.0.0.1:2' };

    expect(() => parseEnv(GatewayEnv, { ...env, RELATE_API_KEYS: 'k1=tenant-a' })).toThrow(
      'RELATE_API_KEYS entry 1 has a key shorter than 16 characters',
    );
  });
});
