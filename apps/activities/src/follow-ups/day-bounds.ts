import { rejectField } from '../activities.errors';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Whether a name is an IANA time zone this runtime knows. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });

    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at an instant, in milliseconds (east positive). */
function offsetAt(instant: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(instant));
  const part = (type: string) => Number(parts.find((candidate) => candidate.type === type)!.value);
  const wall = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );

  return wall - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a local calendar day starts in a zone: the first instant whose local time is
 * midnight; where midnight does not exist (a DST gap at midnight), the instant the gap ends.
 */
function startOfLocalDay(year: number, month: number, day: number, timeZone: string): number {
  const wallMidnight = Date.UTC(year, month - 1, day);
  // A zone changes its offset at most once around a day: the offsets a day before, at and after
  // the wall time hold every offset midnight can have.
  const offsets = [-DAY_MS, 0, DAY_MS].map((shift) => offsetAt(wallMidnight + shift, timeZone));
  const candidates = [...new Set(offsets)].map((offset) => wallMidnight - offset);
  const exact = candidates.filter(
    (instant) => instant + offsetAt(instant, timeZone) === wallMidnight,
  );

  return exact.length > 0 ? Math.min(...exact) : Math.max(...candidates);
}

export interface DayBounds {
  /** The local date, YYYY-MM-DD. */
  date: string;
  /** First instant of the day, inclusive. */
  start: Date;
  /** First instant of the next day, exclusive (23, 24 or 25 hours later). */
  end: Date;
}

function parseDate(date: string): { year: number; month: number; day: number } {
  const match = DATE.exec(date);
  const [year, month, day] = match ? match.slice(1).map(Number) : [0, 0, 0];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (!match || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    rejectField('date', 'must be a date YYYY-MM-DD');
  }

  return { year, month, day };
}

/** A calendar date moved by whole days, YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  const { year, month, day } = parseDate(date);

  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The local date of an instant in a zone, YYYY-MM-DD. */
export function localDateOf(instant: Date, timeZone: string): string {
  return new Date(instant.getTime() + offsetAt(instant.getTime(), timeZone))
    .toISOString()
    .slice(0, 10);
}

/** The instants a local calendar day of a zone spans: [start, end). */
export function dayBounds(date: string, timeZone: string): DayBounds {
  if (!isTimeZone(timeZone)) {
    rejectField('timezone', 'must be an IANA time zone, e.g. Europe/Berlin');
  }
  const { year, month, day } = parseDate(date);
  const next = parseDate(addDays(date, 1));

  return {
    date,
    start: new Date(startOfLocalDay(year, month, day, timeZone)),
    end: new Date(startOfLocalDay(next.year, next.month, next.day, timeZone)),
  };
}
