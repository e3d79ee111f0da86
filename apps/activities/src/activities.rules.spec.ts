import { rangeBoundOf } from './activities.rules';

const INVALID = { code: 'ACTIVITIES.VALIDATION_FAILED', category: 'validation' };

describe('rangeBoundOf', () => {
  it('takes a date as a whole UTC day and a date-time with a zone as that instant', () => {
    expect(rangeBoundOf('from', '2026-03-10', 'from')).toBe('2026-03-10T00:00:00.000Z');
    expect(rangeBoundOf('to', '2026-03-10', 'to')).toBe('2026-03-10T23:59:59.999Z');
    expect(rangeBoundOf('to', '2026-03-10T09:30:00+01:00', 'to')).toBe('2026-03-10T08:30:00.000Z');
  });

  it.each([
    ['2026-W01'],
    ['2026-001'],
    ['20260101'],
    ['2026-02-30'],
    ['0000-01-01'],
    ['2026-03-10T09:30:00'],
    ['9999-12-31T23:59:59-14:00'],
    [['2026-01-01', '2026-02-01']],
  ])('refuses %p with a violation naming the field', (value) => {
    expect(() => rangeBoundOf('dueFrom', value, 'from')).toThrow(
      expect.objectContaining({
        ...INVALID,
        violations: [expect.objectContaining({ field: 'dueFrom' })],
      }),
    );
  });
});
