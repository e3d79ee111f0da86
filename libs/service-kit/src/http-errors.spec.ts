import { RelateError } from '@relate/errors';

import { httpStatusOf, protocolHttpError, toHttpError } from './http-errors';

describe(toHttpError.name, () => {
  it.each([
    ['validation', 400],
    ['not_found', 404],
    ['conflict', 409],
    ['illegal_state', 409],
    ['internal', 500],
  ] as const)('answers a %s error with %i', (category, status) => {
    expect(httpStatusOf(new RelateError('X.Y', category, 'm'))).toBe(status);
  });

  it('names the error by the last segment of its code and keeps violations and details', () => {
    const error = new RelateError('PIPELINE.DEAL_CLOSED', 'illegal_state', 'closed', {
      details: { dealId: 'd1' },
    });

    expect(toHttpError(error)).toEqual({
      status: 409,
      body: {
        error: 'DEAL_CLOSED',
        code: 'PIPELINE.DEAL_CLOSED',
        category: 'illegal_state',
        message: 'closed',
        details: { dealId: 'd1' },
      },
    });
  });

  it('discloses nothing of an unexpected error and answers 503 when it is retriable', () => {
    const hidden = toHttpError(new Error('password=hunter2 in connection string'));
    const retriable = new RelateError('GATEWAY.SERVICE_UNAVAILABLE', 'internal', 'down', {
      retriable: true,
    });

    expect(hidden).toEqual({
      status: 500,
      body: {
        error: 'INTERNAL',
        code: 'RELATE.INTERNAL',
        category: 'internal',
        message: 'Internal error',
      },
    });
    expect(toHttpError(retriable).status).toBe(503);
  });

  it('names protocol errors by their status', () => {
    expect(protocolHttpError(401, 'key needed').body).toEqual({
      error: 'UNAUTHORIZED',
      code: 'HTTP.UNAUTHORIZED',
      message: 'key needed',
    });
  });
});
