import { RelateError } from '@relate/errors';

import { pathOf } from './paths';

describe(pathOf.name, () => {
  it('builds a service path from a resource, an id and an action', () => {
    expect(pathOf('deals', '0192f1c2-7e4b-7aa1-b2c3-d4e5f6a7b8c9', 'won')).toBe(
      '/deals/0192f1c2-7e4b-7aa1-b2c3-d4e5f6a7b8c9/won',
    );
  });

  it.each(['\u0000', 'a\u0000b', '', '../x', 'x'.repeat(129), 'a b'])(
    'answers not found for the malformed id %j',
    (id) => {
      expect(() => pathOf('deals', id)).toThrow(
        expect.objectContaining({ code: 'GATEWAY.NOT_FOUND', category: 'not_found' }) as Error,
      );
      expect(() => pathOf('deals', id)).toThrow(RelateError);
    },
  );
});
