import { pagingOf } from './paging';

describe(pagingOf.name, () => {
  it('applies defaults and bounds page and limit so the offset stays a safe integer', () => {
    expect(pagingOf({})).toEqual({ page: 1, limit: 50, offset: 0 });
    expect(pagingOf({ page: '3', limit: '10' })).toEqual({ page: 3, limit: 10, offset: 20 });

    const huge = pagingOf({ page: '99999999999999999999', limit: '9999' });

    expect(huge).toEqual({ page: 1_000_000, limit: 500, offset: 999_999 * 500 });
  });
});
