import { Logger } from '@nestjs/common';

import { createPool } from './postgres-pool';

describe(createPool.name, () => {
  it('logs an idle client error as a warning instead of throwing it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const sut = createPool('test', { connectionString: 'postgres://127.0.0.1:1/none' });
    const dropped = Object.assign(new Error('terminating connection'), { code: '57P01' });

    try {
      expect(() => sut.emit('error', dropped)).not.toThrow();
      expect(warn).toHaveBeenCalledWith('idle database client failed', {
        service: 'test',
        code: '57P01',
        error: 'terminating connection',
      });
    } finally {
      warn.mockRestore();
      await sut.end();
    }
  });
});
