/** Environment variable through which global setup hands the PostgreSQL address to workers. */
export const TEST_DATABASE_URL_ENV = 'RELATE_TEST_DATABASE_URL';

/** Servers started by global setup, stopped in reverse order by global teardown. */
export const testStack: { stops: Array<() => Promise<void>> } = ((
  globalThis as any
).__relateTestStack ??= { stops: [] });
