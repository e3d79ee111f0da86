/**
 * Pure clean-up rules for the Maven CRM sample. Each rule says what it changed, so the import
 * can print every adjustment with a count instead of fixing data quietly.
 */

/** Trims and collapses runs of whitespace, the way a person reads the value. */
export function cleanText(raw: string | undefined): string {
  return (raw ?? '').replace(/\s+/g, ' ').trim();
}

/** Key under which two spellings of one name meet: case, spaces and punctuation ignored. */
export function matchKey(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** Misspellings found in the sample, keyed by their lower-case form. */
const SECTOR_SPELLINGS: Record<string, string> = { technolgy: 'technology' };
const COUNTRY_SPELLINGS: Record<string, string> = { philipines: 'Philippines' };

export interface Normalised<T> {
  value: T;
  /** Set when the value differs from the raw text beyond whitespace. */
  adjustment?: string;
}

export function normaliseSector(raw: string): Normalised<string | undefined> {
  const text = cleanText(raw).toLowerCase();
  const corrected = SECTOR_SPELLINGS[text];
  if (corrected) {
    return { value: corrected, adjustment: `sector "${text}" read as "${corrected}"` };
  }

  return { value: text || undefined };
}

export function normaliseCountry(raw: string): Normalised<string | undefined> {
  const text = cleanText(raw);
  const corrected = COUNTRY_SPELLINGS[text.toLowerCase()];
  if (corrected) {
    return { value: corrected, adjustment: `office location "${text}" read as "${corrected}"` };
  }

  return { value: text || undefined };
}

/**
 * Finds the canonical name among the known ones for a spelling such as "GTXPro" or " gtx pro".
 * An exact match (after whitespace) is not an adjustment; any other match is.
 */
export function matchName(raw: string, known: ReadonlyMap<string, string>) {
  const text = cleanText(raw);
  const canonical = known.get(matchKey(text));
  if (canonical === undefined) {
    return undefined;
  }
  const adjustment = canonical === text ? undefined : `"${text}" read as "${canonical}"`;

  return { value: canonical, adjustment };
}

export type FieldResult<T> = { ok: true; value: T | undefined } | { ok: false; reason: string };

/** A calendar date YYYY-MM-DD, as midnight UTC in ISO 8601; empty is "no date". */
export function parseDate(raw: string, field: string): FieldResult<string> {
  const text = cleanText(raw);
  if (text === '') {
    return { ok: true, value: undefined };
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const date = match ? new Date(`${text}T00:00:00.000Z`) : undefined;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text) {
    return { ok: false, reason: `${field} "${text}" is not a date (YYYY-MM-DD)` };
  }

  return { ok: true, value: date.toISOString() };
}

/** A plain decimal number; empty is "no value". */
export function parseNumber(raw: string, field: string): FieldResult<number> {
  const text = cleanText(raw);
  if (text === '') {
    return { ok: true, value: undefined };
  }
  if (!/^-?\d+(\.\d+)?$/.test(text)) {
    return { ok: false, reason: `${field} "${text}" is not a number` };
  }

  return { ok: true, value: Number(text) };
}

/** Whole numbers such as a year or a head count. */
export function parseInteger(raw: string, field: string): FieldResult<number> {
  const parsed = parseNumber(raw, field);
  if (parsed.ok && parsed.value !== undefined && !Number.isInteger(parsed.value)) {
    return { ok: false, reason: `${field} "${cleanText(raw)}" is not a whole number` };
  }

  return parsed;
}

/** Maven's revenue column is in millions of US dollars; Relate stores amounts in dollars. */
export function millionsToDollars(millions: number): number {
  return Math.round(millions * 1_000_000);
}
