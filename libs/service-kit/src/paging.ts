import { DEFAULT_PAGE_LIMIT, MAX_PAGE, MAX_PAGE_LIMIT } from '@relate/contracts';

export interface Paging {
  page: number;
  limit: number;
  offset: number;
}

function positiveInt(value: unknown, fallback: number): number {
  const parsed = Number(value);

  return Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}

/** Page and limit of a list query; the gateway validates, this only applies the bounds. */
export function pagingOf(query: { page?: unknown; limit?: unknown }): Paging {
  const page = Math.min(positiveInt(query.page, 1), MAX_PAGE);
  const limit = Math.min(positiveInt(query.limit, DEFAULT_PAGE_LIMIT), MAX_PAGE_LIMIT);

  return { page, limit, offset: (page - 1) * limit };
}

/** Query-string booleans arrive as text. */
export function flagOf(value: unknown): boolean {
  return value === true || value === 'true' || value === '1';
}

/** PostgreSQL numerics arrive as text; null stays null. */
export function numberOrNull(value: string | number | null): number | null {
  return value === null ? null : Number(value);
}

/** A search term is matched literally: `%` and `_` in it are not wildcards. */
export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (character) => `\\${character}`);
}
