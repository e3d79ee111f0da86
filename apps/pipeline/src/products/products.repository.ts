import { Page, PageQuery, ProductView } from '@relate/contracts';
import { numberOrNull, pagingOf, selectOne, selectPage, SqlFilter } from '@relate/service-kit';
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

  find(tenantId: string, productId: string): Promise<ProductView | undefined> {
    const sql = 'SELECT * FROM pipeline.products WHERE tenant_id = $1 AND product_id = $2';

    return selectOne(this.pool, sql, [tenantId, productId], toView);
  }

  list(tenantId: string, query: PageQuery): Promise<Page<ProductView>> {
    return selectPage(this.pool, {
      select: 'SELECT * FROM pipeline.products',
      countFrom: 'pipeline.products',
      filter: SqlFilter.forTenant('tenant_id', tenantId),
      orderBy: 'lower(name), product_id',
      paging: pagingOf(query),
      toView,
    });
  }
}
