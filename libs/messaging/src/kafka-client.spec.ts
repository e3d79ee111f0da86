import { Logger } from '@nestjs/common';
import { logLevel } from 'kafkajs';

import { nestLogCreator } from './kafka-client';

describe('nestLogCreator', () => {
  afterEach(() => jest.restoreAllMocks());

  it('routes kafkajs warnings and errors to Nest as (message, fields) without stacks', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const error = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    const log = nestLogCreator(logLevel.WARN);

    log({
      namespace: 'Connection',
      level: logLevel.WARN,
      label: 'WARN',
      log: { timestamp: 't', message: 'Response timeout', broker: '127.0.0.1:9092' },
    });
    log({
      namespace: 'Consumer',
      level: logLevel.ERROR,
      label: 'ERROR',
      log: { timestamp: 't', message: 'Crash', stack: 'at somewhere', groupId: 'g' },
    });

    expect(warn).toHaveBeenCalledWith('Response timeout', {
      namespace: 'Connection',
      broker: '127.0.0.1:9092',
    });
    expect(error).toHaveBeenCalledWith('Crash', { namespace: 'Consumer', groupId: 'g' });
  });

  it('leaves out the warning about limited idempotent retries, which the publisher covers', () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);

    nestLogCreator(logLevel.WARN)({
      namespace: 'Producer',
      level: logLevel.WARN,
      label: 'WARN',
      log: {
        timestamp: 't',
        message: 'Limiting retries for the idempotent producer may invalidate EoS guarantees',
      },
    });

    expect(warn).not.toHaveBeenCalled();
  });
});
