import { ApiKeys } from './api-keys';

describe(ApiKeys.name, () => {
  it('resolves each key to its tenant and name', () => {
    const sut = ApiKeys.parse('key-one=tenant-a:importer, key-two=tenant-b');

    expect(sut.ownerOf('key-one')).toEqual({ tenantId: 'tenant-a', name: 'importer' });
    expect(sut.ownerOf('key-two')).toMatchObject({ tenantId: 'tenant-b' });
    expect(sut.size).toBe(2);
  });

  it('names an unnamed key after its digest, never after the key itself', () => {
    const owner = ApiKeys.parse('secret-key=tenant-a').ownerOf('secret-key');

    expect(owner?.name).toMatch(/^api-key-[0-9a-f]{8}$/);
    expect(owner?.name).not.toContain('secret');
  });

  it('knows no other key, and no key at all', () => {
    const sut = ApiKeys.parse('key-one=tenant-a');

    expect(sut.ownerOf('key-two')).toBeUndefined();
    expect(sut.ownerOf(undefined)).toBeUndefined();
  });

  it('refuses a malformed list', () => {
    expect(() => ApiKeys.parse('no-tenant')).toThrow('key=tenantId');
    expect(() => ApiKeys.parse('k=bad tenant')).toThrow('invalid tenant id');
  });
});
