import { ConfigError, parseEnv, redactConfig } from './env.config';
import { GatewayEnv, ServiceEnv } from './service.config';

describe(parseEnv.name, () => {
  it('parses a service environment with defaults and lists', () => {
    const env = parseEnv(ServiceEnv, {
      PORT: '3101',
      DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/relate',
      KAFKA_BROKERS: '127.0.0.1:9092, 127.0.0.1:9093',
    });

    expect(env).toMatchObject({
      PORT: 3101,
      HOST: '127.0.0.1',
      KAFKA_BROKERS: ['127.0.0.1:9092', '127.0.0.1:9093'],
    });
  });

  it('reports every invalid variable in one error', () => {
    let thrown: unknown;
    try {
      parseEnv(ServiceEnv, { PORT: 'x', KAFKA_BROKERS: 'nohost' });
    } catch (error) {
      thrown = error;
    }

    expect(thrown).toBeInstanceOf(ConfigError);
    const variables = (thrown as ConfigError).violations.map((v) => v.variable);
    expect(new Set(variables)).toEqual(new Set(['PORT', 'DATABASE_URL', 'KAFKA_BROKERS']));
  });

  it('masks secrets when settings are printed', () => {
    const env = parseEnv(GatewayEnv, {
      PORT: '3000',
      CONTACTS_URL: 'http://127.0.0.1:3101',
      PIPELINE_URL: 'http://127.0.0.1:3102',
      ACTIVITIES_URL: 'http://127.0.0.1:3103',
      AUTOMATION_URL: 'http://127.0.0.1:3104',
      REPORTING_URL: 'http://127.0.0.1:3105',
      RELATE_API_KEYS: 'k1-0123456789abcdef=tenant-a:importer,k2-0123456789abcdef=tenant-b',
    });

    expect(redactConfig(env)).toMatchObject({ RELATE_API_KEYS: '***', PORT: 3000 });
  });
});
