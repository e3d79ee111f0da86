import { RelatedRecords } from '@relate/contracts';
import { FieldViolation } from '@relate/errors';

import { rejectField } from './activities.errors';

/** Bounds of free text: long enough for meeting minutes, short enough for one row. */
export const TextLimits = {
  title: 200,
  subject: 200,
  outcome: 100,
  body: 10_000,
  notes: 10_000,
} as const;

// Clocks drift a little between the caller and us; business time beyond that is refused.
const FUTURE_TOLERANCE_MS = 60_000;

/** An ISO 8601 date-time with a zone (Z or ±hh:mm), as the gateway validates it. */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

const UTC_YEARS_1_TO_9999 = /^(?!0000)\d{4}-/;

/** A point in time from a client, normalised to UTC ISO; a violation when it is none. */
export function instantOf(field: string, value: string): string {
  const time = new Date(value);
  if (!ISO_DATE_TIME.test(value) || Number.isNaN(time.getTime())) {
    rejectField(field, 'must be an ISO 8601 date-time with a time zone');
  }
  // 9999-12-31T23:00:00-14:00 is year 10000 in UTC (+010000-...): PostgreSQL refuses that text,
  // so every projection storing the instant would park the event after we answered 2xx.
  const utc = time.toISOString();
  if (!UTC_YEARS_1_TO_9999.test(utc)) {
    rejectField(field, 'must be in the years 0001 to 9999 (UTC)');
  }

  return utc;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A bound of a list filter (`from`/`to`, `dueFrom`/`dueTo`) as a UTC instant: a date alone is
 * a whole UTC day (`to=2026-03-10` includes all of it), else a date-time with a zone. Checked
 * here, not left to PostgreSQL's `::timestamptz`: that failed on `2026-W01` (a 500), read
 * `20260101` and `2026-001` its own way, and a date in the session's time zone.
 */
export function rangeBoundOf(field: string, value: unknown, end: 'from' | 'to'): string {
  if (typeof value === 'string' && DATE_ONLY.test(value)) {
    const day = new Date(`${value}T00:00:00.000Z`);
    const iso = Number.isNaN(day.getTime()) ? '' : day.toISOString();
    if (iso.slice(0, 10) === value && UTC_YEARS_1_TO_9999.test(iso)) {
      return end === 'from' ? iso : `${value}T23:59:59.999Z`;
    }
  } else if (typeof value === 'string' && ISO_DATE_TIME.test(value)) {
    return instantOf(field, value);
  }

  return rejectField(field, 'must be a date YYYY-MM-DD or a date-time with a time zone');
}

/** Business time of something that already happened: not in the future. */
export function pastInstantOf(field: string, value: string, now: Date): string {
  const time = instantOf(field, value);
  if (new Date(time).getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    rejectField(field, 'must not be in the future');
  }

  return time;
}

/** Trimmed text, null when empty; a violation when longer than the limit. */
export function optionalText(
  field: string,
  value: string | null | undefined,
  limit: number,
  violations: FieldViolation[],
): string | null {
  const text = value?.trim() ?? '';
  if (text.length > limit) {
    violations.push({ field, reason: `must be at most ${limit} characters` });
  }

  return text === '' ? null : text;
}

/** Trimmed text that must be there. */
export function requiredText(
  field: string,
  value: string | undefined,
  limit: number,
  violations: FieldViolation[],
): string {
  const text = optionalText(field, value, limit, violations);
  if (text === null) {
    violations.push({ field, reason: 'must not be empty' });
  }

  return text ?? '';
}

export function hasRelatedRecord(related: RelatedRecords): boolean {
  return related.personId !== null || related.companyId !== null || related.dealId !== null;
}
