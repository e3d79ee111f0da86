import { deciderSpecification } from '@relate/service-kit';

import { productDecider } from './product.decider';

const productId = '0190a0b0-0000-7000-8000-0000000000e1';

describe('productDecider', () => {
  const spec = deciderSpecification(productDecider);

  it('adds a product', () => {
    spec
      .given([])
      .when({ type: 'AddProduct', productId, name: 'GTX Pro', series: 'GTX', listPrice: 4821 })
      .then([
        {
          type: 'ProductAdded',
          data: { productId, name: 'GTX Pro', series: 'GTX', listPrice: 4821 },
        },
      ]);
  });

  it('refuses a negative list price', () => {
    spec
      .given([])
      .when({ type: 'AddProduct', productId, name: 'GTX Pro', series: null, listPrice: -1 })
      .thenThrows({
        code: 'PIPELINE.VALIDATION_FAILED',
        category: 'validation',
        violations: [{ field: 'listPrice', reason: 'must not be negative' }],
      });
  });

  it('refuses a list price above the maximum amount', () => {
    spec
      .given([])
      .when({ type: 'AddProduct', productId, name: 'GTX Pro', series: null, listPrice: 1e13 })
      .thenThrows({
        code: 'PIPELINE.VALIDATION_FAILED',
        category: 'validation',
        violations: [{ field: 'listPrice', reason: 'must not be greater than 1000000000000' }],
      });
  });
});
