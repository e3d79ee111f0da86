import { join } from 'node:path';

import { readStartConfig, REPO_ROOT, StartConfigError } from './start.config';

describe('readStartConfig', () => {
  it('runs everything locally on the default ports without settings', () => {
    const config = readStartConfig({}, true);

    expect(config).toMatchObject({
      dataDir: join(REPO_ROOT, '.data'),
      databaseUrl: undefined,
      kafkaBrokers: undefined,
      postgresPort: 5433,
      brokerPort: 9092,
      ports: { gateway: 3000, contacts: 3101, pipeline: 3102 },
      colour: true,
    });
  });

  it('takes external servers, ports and keys from the environment', () => {
    const config = readStartConfig(
      {
        DATABASE_URL: 'postgres://127.0.0.1:5432/relate',
        KAFKA_BROKERS: '127.0.0.1:19092',
        PORT: '8080',
        RELATE_CONTACTS_PORT: '8081',
        RELATE_PIPELINE_PORT: '8082',
        RELATE_API_KEYS: 'k=t',
        RELATE_DATA_DIR: '/tmp/relate-data',
        NO_COLOR: '1',
      },
      true,
    );

    expect(config).toMatchObject({
      dataDir: '/tmp/relate-data',
      databaseUrl: 'postgres://127.0.0.1:5432/relate',
      kafkaBrokers: '127.0.0.1:19092',
      ports: { gateway: 8080, contacts: 8081, pipeline: 8082 },
      apiKeys: 'k=t',
      colour: false,
    });
  });

  it('refuses a port that is not a number and two services on one port', () => {
    expect(() => readStartConfig({ RELATE_PG_PORT: 'abc' }, false)).toThrow(StartConfigError);
    expect(() => readStartConfig({ PORT: '3101' }, false)).toThrow('must differ');
  });
});
