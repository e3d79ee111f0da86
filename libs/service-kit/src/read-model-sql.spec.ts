import { Pool } from 'pg';

import { selectOne, selectPage, SqlFilter } from './read-model-sql';

/** A pool whose queries answer the given results in turn and are recorded. */
function poolAnswering(...results: Array<{ rows: object[] }>) {
  const query = jest.fn();
  for (const result of results) {
    query.mockResolvedValueOnce(result);
  }

  return { pool: { query } as unknown as Pool, query };
}

describe(SqlFilter.name, () => {
  it('binds each value as the next parameter and passes over absent ones', () => {
    const sut = SqlFilter.forTenant('tenant_id', 'acme')
      .equalsIfGiven('owner_id', undefined)
      .equalsIfGiven('owner_id', '')
      .bind('%ac%', (term) => `name ILIKE ${term}`)
      .equalsIfGiven('company_id', 'c1')
      .and('NOT archived');

    expect(sut.sql).toBe('tenant_id = $1 AND name ILIKE $2 AND company_id = $3 AND NOT archived');
    expect(sut.values).toEqual(['acme', '%ac%', 'c1']);
  });
});

describe(selectPage.name, () => {
  it('reads a page and counts the total under the same filter', async () => {
    const { pool, query } = poolAnswering(
      { rows: [{ n: 1 }, { n: 2 }] },
      { rows: [{ total: '7' }] },
    );
    const filter = SqlFilter.forTenant('d.tenant_id', 'acme');

    const page = await selectPage(pool, {
      select: 'SELECT * FROM pipeline.deals d',
      countFrom: 'pipeline.deals d',
      filter,
      orderBy: 'd.deal_id',
      paging: { page: 2, limit: 2, offset: 2 },
      toView: (row: { n: number }) => `deal ${row.n}`,
    });

    expect(page).toEqual({ items: ['deal 1', 'deal 2'], page: 2, limit: 2, total: 7 });
    expect(query.mock.calls[0][0].replace(/\s+/g, ' ')).toBe(
      'SELECT * FROM pipeline.deals d WHERE d.tenant_id = $1 ORDER BY d.deal_id LIMIT 2 OFFSET 2',
    );
    expect(query.mock.calls[0][1]).toEqual(['acme']);
    expect(query.mock.calls[1]).toEqual([
      'SELECT count(*) AS total FROM pipeline.deals d WHERE d.tenant_id = $1',
      ['acme'],
    ]);
  });
});

describe(selectOne.name, () => {
  it('answers the first row as a view, or undefined without rows', async () => {
    const { pool } = poolAnswering({ rows: [{ n: 1 }] }, { rows: [] });
    const toView = (row: { n: number }) => row.n;

    expect(await selectOne(pool, 'SELECT 1', [], toView)).toBe(1);
    expect(await selectOne(pool, 'SELECT 1', [], toView)).toBeUndefined();
  });
});
