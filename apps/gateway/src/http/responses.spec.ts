import { expectedVersionOf } from './responses';

describe(expectedVersionOf.name, () => {
  it('reads a version quoted, unquoted or weak', () => {
    expect(expectedVersionOf('"3"')).toBe(3);
    expect(expectedVersionOf('12')).toBe(12);
    expect(expectedVersionOf('W/"4"')).toBe(4);
    expect(expectedVersionOf(undefined)).toBeUndefined();
  });

  it('refuses anything else as a validation error on If-Match', () => {
    expect(() => expectedVersionOf('"abc"')).toThrow(
      expect.objectContaining({ violations: [expect.objectContaining({ field: 'If-Match' })] }),
    );
  });
});
