import { ApiKeys } from './api-keys';

const ONE = 'key-one-0123456789';
const TWO = 'key-two-0123456789';

describe(ApiKeys.name, () => {
  it('resolves each key to its tenant and name', () => {
    const sut = ApiKeys.parse(`${ONE}=tenant-a:importer, ${TWO}=tenant-b`);

    expect(sut.ownerOf(ONE)).toEqual({ tenantId: 'tenant-a', name: 'importer' });
    expect(sut.ownerOf(TWO)).toMatchObject({ tenantId: 'tenant-b' });
    expect(sut.size).toBe(2);
  });

  it('names an unnamed key after its digest, never after the key itself', () => {
    const owner = ApiKeys.parse('secret-key-0123456789=tenant-a').ownerOf('secret-key-0123456789');

    expect(owner?.name).toMatch(/^api-key-[0-9a-f]{8}$/);
    expect(owner?.name).not.toContain('secret');
  });

  it('knows no other key, and no key at all', () => {
    const sut = ApiKeys.parse(`${ONE}=tenant-a`);

    expect(sut.ownerOf(TWO)).toBeUndefined();
    expect(sut.ownerOf(undefined)).toBeUndefined();
  });

  it('refuses a malformed list, naming RELATE_API_KEYS', () => {
    expect(() => ApiKeys.parse('no-tenant')).toThrow('RELATE_API_KEYS entry 1 is not key=tenant');
    expect(() => ApiKeys.parse(`${ONE}=bad tenant`)).toThrow('invalid tenant id');
  });
});
