import { startBanner } from './local.stack';

describe(startBanner.name, () => {
  it('shows the gateway, the key and how to import, without a path of this machine', () => {
    const lines = startBanner({
      healthy: true,
      api: 'http://127.0.0.1:3000/api/v1',
      shown: 'the development key',
      key: 'relate_dev_x',
    });

    expect(lines).toContain('  gateway  http://127.0.0.1:3000/api/v1');
    expect(lines).toContain('  import   npm run import -- <folder with the Maven CRM csv files>');
    expect(lines.join('\n')).not.toContain('shared/data');
  });
});
