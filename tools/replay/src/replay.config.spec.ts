import { readReplayConfig, ReplayConfigError } from './replay.config';

describe(readReplayConfig.name, () => {
  it('defaults to the port npm start gives the service', () => {
    expect(readReplayConfig(['pipeline'], {})).toEqual({
      service: 'pipeline',
      url: 'http://127.0.0.1:3102',
    });
    expect(readReplayConfig(['reporting'], { RELATE_REPORTING_PORT: '4105' }).url).toBe(
      'http://127.0.0.1:4105',
    );
  });

  it('takes an address and projection names from the options', () => {
    const argv = ['contacts', '--url', 'http://127.0.0.1:9999/', '--projection', 'contacts-people'];

    expect(readReplayConfig(argv, {})).toEqual({
      service: 'contacts',
      url: 'http://127.0.0.1:9999',
      projections: ['contacts-people'],
    });
  });

  it('refuses an unknown service, listing the valid ones', () => {
    expect(() => readReplayConfig(['billing'], {})).toThrow(ReplayConfigError);
    expect(() => readReplayConfig([], {})).toThrow(
      /contacts\|pipeline\|activities\|automation\|reporting/,
    );
  });

  it('refuses a bad port, a bad address and unknown options', () => {
    expect(() => readReplayConfig(['contacts'], { RELATE_CONTACTS_PORT: 'x' })).toThrow(
      'RELATE_CONTACTS_PORT must be a port number, not x',
    );
    expect(() => readReplayConfig(['contacts', '--url', 'ftp://x'], {})).toThrow(/--url/);
    expect(() => readReplayConfig(['contacts', '--fast', 'yes'], {})).toThrow(/unknown option/);
    expect(() => readReplayConfig(['contacts', '--url'], {})).toThrow(/needs a value/);
  });
});
