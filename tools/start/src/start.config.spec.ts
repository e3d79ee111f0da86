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
      smtpUrl: undefined,
      smtpPort: 2525,
      mailFrom: 'relate@localhost',
      ports: {
        gateway: 3000,
        contacts: 3101,
        pipeline: 3102,
        activities: 3103,
        automation: 3104,
        reporting: 3105,
      },
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
        RELATE_ACTIVITIES_PORT: '8083',
        RELATE_AUTOMATION_PORT: '8084',
        RELATE_REPORTING_PORT: '8085',
        RELATE_API_KEYS: 'key-0123456789abcdef=t',
        RELATE_DATA_DIR: '/tmp/relate-data',
        SMTP_URL: 'smtp://user:pw@127.0.0.1:587',
        MAIL_FROM: 'Relate <crm@example.test>',
        NO_COLOR: '1',
      },
      true,
    );

    expect(config).toMatchObject({
      dataDir: '/tmp/relate-data',
      databaseUrl: 'postgres://127.0.0.1:5432/relate',
      kafkaBrokers: '127.0.0.1:19092',
      ports: {
        gateway: 8080,
        contacts: 8081,
        pipeline: 8082,
        activities: 8083,
        automation: 8084,
        reporting: 8085,
      },
      apiKeys: 'key-0123456789abcdef=t',
      smtpUrl: 'smtp://user:pw@127.0.0.1:587',
      mailFrom: 'Relate <crm@example.test>',
      colour: false,
    });
  });

  it('refuses bad RELATE_API_KEYS before anything starts, naming the setting and why', () => {
    const read = (keys: string) => () => readStartConfig({ RELATE_API_KEYS: keys }, false);

    expect(read('k1')).toThrow(StartConfigError);
    expect(read('k1')).toThrow('RELATE_API_KEYS entry 1 is not key=tenant');
    expect(read('k1=tenant a')).toThrow('RELATE_API_KEYS entry 1 names an invalid tenant id');
    expect(read('0123456789abcdef=a,0123456789abcdef=b')).toThrow('repeats the key of entry 1');
    expect(read('short=tenant-a')).toThrow('shorter than 16 characters');
  });

  it('refuses a port that is not a number and two services on one port', () => {
    expect(() => readStartConfig({ RELATE_PG_PORT: 'abc' }, false)).toThrow(StartConfigError);
    expect(() => readStartConfig({ PORT: '3101' }, false)).toThrow('must differ');
  });

  it('takes the mail catcher port, and refuses bad mail settings without showing the URL', () => {
    const read = (env: NodeJS.ProcessEnv) => () => readStartConfig(env, false);

    expect(readStartConfig({ RELATE_SMTP_PORT: '2626' }, false).smtpPort).toBe(2626);
    expect(read({ RELATE_SMTP_PORT: 'x' })).toThrow('RELATE_SMTP_PORT must be a port number');
    expect(read({ RELATE_SMTP_PORT: '3000' })).toThrow('RELATE_SMTP_PORT must differ');
    // With SMTP_URL no catcher runs: its port may be anything.
    expect(read({ RELATE_SMTP_PORT: '3000', SMTP_URL: 'smtp://127.0.0.1:25' })).not.toThrow();
    expect(read({ SMTP_URL: 'http://user:hunter22@127.0.0.1' })).toThrow(StartConfigError);
    expect(read({ SMTP_URL: 'http://user:hunter22@127.0.0.1' })).toThrow(
      'SMTP_URL must be an smtp:// or smtps:// URL',
    );
    expect(read({ SMTP_URL: 'http://user:hunter22@127.0.0.1' })).not.toThrow('hunter22');
    expect(read({ MAIL_FROM: 'nobody' })).toThrow('MAIL_FROM must be an address');
  });
});
