import { RelateError } from '@relate/errors';

import { RelateClient } from './relate.client';
import { FakeRelateApi } from './relate-api.fake';

describe(RelateClient.name, () => {
  const api = new FakeRelateApi();
  const sleeps: number[] = [];
  const client = new RelateClient({
    baseUrl: 'http://127.0.0.1:3000/',
    apiKey: 'k',
    fetch: api.fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });

  it('answers "exists" when the id is already taken', async () => {
    expect(await client.create('/reps', { id: 'r1', name: 'A' })).toBe('created');
    expect(await client.create('/reps', { id: 'r1', name: 'A' })).toBe('exists');
    expect(api.calls.slice(-1)).toEqual(['POST /reps']);
  });

  it('retries an unavailable gateway with growing pauses', async () => {
    api.unavailableFor = 2;
    sleeps.length = 0;

    expect(await client.create('/reps', { id: 'r2', name: 'B' })).toBe('created');
    expect(sleeps).toEqual([200, 400]);
  });

  it('reads an unknown id as undefined', async () => {
    expect(await client.get('/deals/nope')).toBeUndefined();
  });

  it('turns a refusal into a coded error with its category', async () => {
    const error = await client.post('/deals/nope/won', {}).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(RelateError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', category: 'not_found' });
  });
});
