import { RelateError } from './relate-error';
import { serviceErrors } from './service-errors';

describe('serviceErrors', () => {
  const errors = serviceErrors('SHOP');

  it('names the shared codes under the namespace', () => {
    expect(errors.codes).toEqual({
      validationFailed: 'SHOP.VALIDATION_FAILED',
      alreadyExists: 'SHOP.ALREADY_EXISTS',
    });
  });

  it('builds a validation error that lists every violation', () => {
    const error = errors.invalidInput([
      { field: 'name', reason: 'must not be empty' },
      { field: 'email', reason: 'is not an email address' },
    ]);

    expect(error).toBeInstanceOf(RelateError);
    expect(error).toMatchObject({
      code: 'SHOP.VALIDATION_FAILED',
      category: 'validation',
      message: 'Invalid input: name: must not be empty; email: is not an email address',
      violations: [
        { field: 'name', reason: 'must not be empty' },
        { field: 'email', reason: 'is not an email address' },
      ],
    });
  });

  it('throws on violations only when there are some', () => {
    expect(() => errors.assertNoViolations([])).not.toThrow();
    expect(() => errors.assertNoViolations([{ field: 'name', reason: 'is missing' }])).toThrow(
      expect.objectContaining({ code: 'SHOP.VALIDATION_FAILED', category: 'validation' }),
    );
  });

  it('rejects one field', () => {
    expect(() => errors.rejectField('date', 'must be a date')).toThrow(
      expect.objectContaining({
        code: 'SHOP.VALIDATION_FAILED',
        violations: [{ field: 'date', reason: 'must be a date' }],
      }),
    );
  });

  it('builds a conflict for what exists already', () => {
    expect(errors.alreadyExists('Order', 'o-1')).toMatchObject({
      code: 'SHOP.ALREADY_EXISTS',
      category: 'conflict',
      message: 'Order o-1 already exists',
      details: { id: 'o-1' },
    });
  });

  it('builds the not-found error of one resource', () => {
    const orderNotFound = errors.notFoundOf('SHOP.ORDER_NOT_FOUND', 'Order');

    expect(orderNotFound('o-2')).toMatchObject({
      code: 'SHOP.ORDER_NOT_FOUND',
      category: 'not_found',
      message: 'Order o-2 was not found',
      details: { id: 'o-2' },
    });
  });
});
