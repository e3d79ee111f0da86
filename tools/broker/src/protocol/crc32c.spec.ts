import { randomBytes } from 'node:crypto';

import { crc32c } from './crc32c';

// kafkajs' own CRC-32C, used here only as an independent reference implementation.
const kafkajsCrc32c: (data: Buffer) => number = require('kafkajs/src/protocol/recordBatch/crc32C');

describe(crc32c.name, () => {
  it('matches the published check value of CRC-32C', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('differs from CRC-32/IEEE, which zlib would compute', () => {
    expect(crc32c(Buffer.from('123456789'))).not.toBe(0xcbf43926);
  });

  it('agrees with kafkajs for every length around the 8-byte stride', () => {
    for (let length = 0; length < 70; length++) {
      const data = randomBytes(length);
      expect(crc32c(data)).toBe(kafkajsCrc32c(data));
    }
  });

  it('checksums a slice without copying it', () => {
    const data = randomBytes(100);
    expect(crc32c(data, 13, 77)).toBe(kafkajsCrc32c(data.subarray(13, 77)));
  });
});
