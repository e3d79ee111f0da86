import { DatabaseError } from 'pg';

import { RelateError } from '@relate/errors';

import { backoffDelay, isConnectionError, isRetriableError } from './failure-policy';

function databaseError(code: string): DatabaseError {
  const error = new DatabaseError('failed', 0, 'error');
  error.code = code;

  return error;
}

function withCode(name: string, code: string): Error {
  return Object.assign(new Error(name), { code });
}

describe('isRetriableError', () => {
  it.each([
    [
      'a RelateError marked retriable',
      new RelateError('X.Y', 'internal', 'm', { retriable: true }),
      true,
    ],
    ['a RelateError not marked retriable', new RelateError('X.Y', 'validation', 'm'), false],
    ['a lost connection (08006)', databaseError('08006'), true],
    ['an administrator shutdown (57P01)', databaseError('57P01'), true],
    ['a serialization failure (40001)', databaseError('40001'), true],
    ['a deadlock (40P01)', databaseError('40P01'), true],
    ['too many connections (53300)', databaseError('53300'), true],
    ['a unique violation (23505)', databaseError('23505'), false],
    ['a syntax error (42601)', databaseError('42601'), false],
    ['a refused TCP connection', withCode('connect ECONNREFUSED', 'ECONNREFUSED'), true],
    ['a terminated pg connection', new Error('Connection terminated unexpectedly'), true],
    ['a plain TypeError', new TypeError('x is undefined'), false],
    ['a string', 'boom', false],
  ])('classifies %s', (_label, error, retriable) => {
    expect(isRetriableError(error)).toBe(retriable);
  });

  it('follows the retriable flag of kafkajs errors', () => {
    const error = Object.assign(new Error('leader not available'), { retriable: true });
    error.name = 'KafkaJSProtocolError';

    expect(isRetriableError(error)).toBe(true);
  });
});

describe('isConnectionError', () => {
  it('tells connection trouble from query trouble', () => {
    expect(isConnectionError(databaseError('57P01'))).toBe(true);
    expect(isConnectionError(databaseError('40001'))).toBe(false);
  });
});

describe('backoffDelay', () => {
  it('doubles from the base, with jitter, up to the cap', () => {
    const delays = [1, 2, 3, 10].map((attempt) => backoffDelay(attempt, 100, 1000));

    expect(delays[0]).toBeGreaterThanOrEqual(80);
    expect(delays[0]).toBeLessThanOrEqual(120);
    expect(delays[1]).toBeGreaterThanOrEqual(160);
    expect(delays[2]).toBeGreaterThanOrEqual(320);
    expect(delays[3]).toBeLessThanOrEqual(1200);
  });
});
