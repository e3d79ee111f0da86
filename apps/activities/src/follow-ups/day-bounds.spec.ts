import { addDays, dayBounds, isTimeZone, localDateOf } from './day-bounds';

const iso = (bounds: { start: Date; end: Date }) => [
  bounds.start.toISOString(),
  bounds.end.toISOString(),
];

describe('day bounds', () => {
  it('spans a UTC day', () => {
    expect(iso(dayBounds('2026-03-10', 'UTC'))).toEqual([
      '2026-03-10T00:00:00.000Z',
      '2026-03-11T00:00:00.000Z',
    ]);
  });

  it('spans a day east and west of UTC', () => {
    expect(iso(dayBounds('2026-01-15', 'Europe/Berlin'))).toEqual([
      '2026-01-14T23:00:00.000Z',
      '2026-01-15T23:00:00.000Z',
    ]);
    expect(iso(dayBounds('2026-07-15', 'America/Los_Angeles'))).toEqual([
      '2026-07-15T07:00:00.000Z',
      '2026-07-16T07:00:00.000Z',
    ]);
    expect(iso(dayBounds('2026-07-15', 'Pacific/Kiritimati'))).toEqual([
      '2026-07-14T10:00:00.000Z',
      '2026-07-15T10:00:00.000Z',
    ]);
    expect(iso(dayBounds('2026-07-15', 'Asia/Kolkata'))).toEqual([
      '2026-07-14T18:30:00.000Z',
      '2026-07-15T18:30:00.000Z',
    ]);
  });

  it('spans 23 and 25 hours on the days daylight saving time starts and ends', () => {
    expect(iso(dayBounds('2026-03-29', 'Europe/Berlin'))).toEqual([
      '2026-03-28T23:00:00.000Z',
      '2026-03-29T22:00:00.000Z',
    ]);
    expect(iso(dayBounds('2026-10-25', 'Europe/Berlin'))).toEqual([
      '2026-10-24T22:00:00.000Z',
      '2026-10-25T23:00:00.000Z',
    ]);
  });

  it('starts a day without a midnight when the gap ends', () => {
    // Chile moves its clocks from 24:00 to 01:00 on the first Sunday of September.
    const bounds = dayBounds('2026-09-06', 'America/Santiago');
    expect(bounds.start.toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(localDateOf(bounds.start, 'America/Santiago')).toBe('2026-09-06');
    expect(localDateOf(new Date(bounds.start.getTime() - 1000), 'America/Santiago')).toBe(
      '2026-09-05',
    );
  });

  it('refuses an unknown zone and an impossible date', () => {
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(() => dayBounds('2026-03-10', 'Mars/Olympus')).toThrow(
      expect.objectContaining({ violations: [{ field: 'timezone', reason: expect.any(String) }] }),
    );
    expect(() => dayBounds('2026-02-30', 'UTC')).toThrow(
      expect.objectContaining({ violations: [{ field: 'date', reason: expect.any(String) }] }),
    );
  });

  it('moves dates by days across months and gives the local date of an instant', () => {
    expect(addDays('2026-03-01', -14)).toBe('2026-02-15');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(localDateOf(new Date('2026-03-10T23:30:00Z'), 'Europe/Berlin')).toBe('2026-03-11');
    expect(localDateOf(new Date('2026-03-10T23:30:00Z'), 'America/New_York')).toBe('2026-03-10');
  });
});
