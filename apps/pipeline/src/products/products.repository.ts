import { Page, PageQuery, ProductView } from '@relate/contracts';
import { numberOrNull, pagingOf } from '@relate/service-kit';
import { Pool } from 'pg';

interface ProductRow {
  product_id: string;
  name: string;
  series: string | null;
  list_price: string | null;
  version: number;
}

function toView(row: ProductRow): ProductView {
  return {
    id: row.product_id,
    name: row.name,
    series: row.series,
    listPrice: numberOrNull(row.list_price),
    version: row.version,
  };
}

/** Reads of the product catalogue; scoped to one tenant. */
export class ProductsRepository {
  constructor(private readonly pool: Pool) {}

  async find(tenantId: string, productId: string): Promise<ProductView | undefined> {
    const { rows } = await this.pool.query<ProductRow>(
      'SELECT * FROM pipeline.products WHERE tenant_id = $1 AND product_id = $2',
      [tenantId, productId],
    );

    return rows[0] && toView(rows[0]);
  }

  async list(tenantId: string, query: PageQuery): Promise<Page<ProductView>> {
    const { page, limit, offset } = pagingOf(query);
    const [items, count] = await Promise.all([
      this.pool.query<ProductRow>(
        `SELECT * FROM pipeline.products WHERE tenant_id = $1
         ORDER BY lower(name), product_id LIMIT ${limit} OFFSET ${offset}`,
        [tenantId],
      ),
      this.pool.query<{ total: string }>(
        'SELECT count(*) AS total FROM pipeline.products WHERE tenant_id = $1',
        [tenantId],
      ),
    ]);

    return { items: items.rows.map(toView), page, limit, total: Number(count.rows[0].total) };
  }
}
