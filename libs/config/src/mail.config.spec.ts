import { ConfigError, parseEnv, redactConfig } from './env.config';
import { mailFromProblem, parseMailSettings, smtpUrlProblem } from './mail.config';
import { AutomationEnv, mailSettingsOf } from './service.config';

const SERVICE = {
  PORT: '3104',
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/relate',
  KAFKA_BROKERS: '127.0.0.1:9092',
};

function problemsOf(env: Record<string, string>): ConfigError['violations'] {
  try {
    parseEnv(AutomationEnv, { ...SERVICE, ...env });
  } catch (error) {
    if (error instanceof ConfigError) return error.violations;
    throw error;
  }

  return [];
}

describe('AutomationEnv', () => {
  it('turns SMTP_URL and MAIL_FROM into mail settings, MAIL_FROM defaulting', () => {
    const env = parseEnv(AutomationEnv, { ...SERVICE, SMTP_URL: 'smtp://127.0.0.1:2525' });
    const named = parseEnv(AutomationEnv, {
      ...SERVICE,
      SMTP_URL: 'smtps://user:pw@127.0.0.1:465',
      MAIL_FROM: 'Relate CRM <crm@example.test>',
    });

    expect(env.PORT).toBe(3104);
    expect(mailSettingsOf(env)).toEqual({
      smtpUrl: 'smtp://127.0.0.1:2525',
      from: 'relate@localhost',
    });
    expect(mailSettingsOf(named)).toEqual({
      smtpUrl: 'smtps://user:pw@127.0.0.1:465',
      from: 'Relate CRM <crm@example.test>',
    });
  });

  it('sends no mail without SMTP_URL', () => {
    expect(mailSettingsOf(parseEnv(AutomationEnv, SERVICE))).toBeUndefined();
  });

  it.each([
    ['http://user:hunter22@127.0.0.1:25', 'must be an smtp:// or smtps:// URL'],
    ['user:hunter22@127.0.0.1', 'must be an smtp:// or smtps:// URL'],
    ['smtp://user:hunter22@127.0.0.1:99999', 'does not parse as a URL'],
    ['smtp://user:hunter22@127.0.0.1:25/path', 'must have no path'],
    ['smtp://:hunter22@127.0.0.1:25', 'has a password but no user name'],
  ])('refuses SMTP_URL %j naming the variable and why, never the URL', (url, reason) => {
    const problems = problemsOf({ SMTP_URL: url });

    expect(problems).toEqual([{ variable: 'SMTP_URL', reason: expect.stringContaining(reason) }]);
    expect(JSON.stringify(problems)).not.toContain('hunter22');
    expect(() => parseMailSettings(url, undefined)).toThrow(`SMTP_URL ${reason}`);
  });

  it.each(['relate', 'a b@example.test', 'x@y\r\nBcc: z@example.test', '<relate@example.test'])(
    'refuses MAIL_FROM %j',
    (from) => {
      expect(problemsOf({ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: from })).toEqual([
        { variable: 'MAIL_FROM', reason: expect.stringContaining('must be an address') },
      ]);
      expect(mailFromProblem(from)).toBeDefined();
    },
  );

  it('masks SMTP_URL when settings are printed', () => {
    const env = parseEnv(AutomationEnv, { ...SERVICE, SMTP_URL: 'smtp://u:hunter22@127.0.0.1' });

    expect(redactConfig(env)).toMatchObject({ SMTP_URL: '***', DATABASE_URL: '***' });
  });

  it('parses raw values the same way for npm start', () => {
    expect(parseMailSettings(undefined, undefined)).toBeUndefined();
    expect(parseMailSettings('smtp://127.0.0.1:2525', undefined)).toEqual({
      smtpUrl: 'smtp://127.0.0.1:2525',
      from: 'relate@localhost',
    });
    expect(smtpUrlProblem('smtps://mail.example.test')).toBeUndefined();
    expect(() => parseMailSettings(undefined, 'nope')).toThrow('MAIL_FROM must be an address');
  });
});
