import { startBanner } from './local.stack';

describe(startBanner.name, () => {
  it('shows the gateway, the key and how to import, without a path of this machine', () => {
    const lines = startBanner({
      healthy: true,
      api: 'http://127.0.0.1:3000/api/v1',
      shown: 'the development key',
      key: 'relate_dev_x',
      mail: 'caught in .data/mail/',
    });

    expect(lines).toContain('  gateway  http://127.0.0.1:3000/api/v1');
    expect(lines).toContain('  import   npm run import -- <folder with the Maven CRM csv files>');
    expect(lines.join('\n')).not.toContain('shared/data');
  });

  it('says where mail goes', () => {
    const lines = startBanner({
      healthy: true,
      api: 'http://127.0.0.1:3000/api/v1',
      shown: 'the development key',
      key: 'relate_dev_x',
      mail: 'caught in .data/mail/ (one .eml file each, SMTP smtp://127.0.0.1:2525)',
    });

    expect(lines).toContain(
      '  mail     caught in .data/mail/ (one .eml file each, SMTP smtp://127.0.0.1:2525)',
    );
  });
});
