import { RelateError } from '@relate/errors';

import { loggableError } from './relate-error.filter';

class DatabaseError extends Error {
  code = '22021';
  detail = 'Key (title)=(Jane Doe) already exists';
  where = 'unnamed portal parameter $3 = \'{"title":"Jane Doe\'';
}

describe(loggableError.name, () => {
  it('keeps the class, the PostgreSQL code and the first line of the message only', () => {
    const error = new DatabaseError('invalid byte sequence for encoding "UTF8": 0x00\nQUERY: x');

    const logged = JSON.stringify(loggableError(error));

    expect(loggableError(error)).toMatchObject({
      errorClass: 'DatabaseError',
      pgCode: '22021',
      error: 'invalid byte sequence for encoding "UTF8": 0x00',
    });
    expect(logged).not.toContain('Jane Doe');
    expect(logged).not.toContain('QUERY');
  });

  it('describes the cause of a wrapped error the same way', () => {
    const cause = new DatabaseError('boom\nsecret line');
    const error = new RelateError('RELATE.INTERNAL', 'internal', 'Internal error', { cause });

    expect(loggableError(error)).toMatchObject({
      errorClass: 'RelateError',
      error: 'Internal error',
      cause: { class: 'DatabaseError', pgCode: '22021', message: 'boom' },
    });
    expect(JSON.stringify(loggableError(error))).not.toContain('secret');
  });
});
