import { INestApplication } from '@nestjs/common';
import request from 'supertest';

import { BACKEND_SERVICES, BackendService } from '@relate/config';

import { createGatewayApp } from '../app';

const KEY = 'protocol-errors-key-0001';

/** Port 9 (discard) on loopback: nothing answers there. */
function unreachableServices(): Record<BackendService, string> {
  const entries = BACKEND_SERVICES.map((service) => [service, 'http://127.0.0.1:9']);

  return Object.fromEntries(entries) as Record<BackendService, string>;
}

/** Requests the gateway refuses before forwarding: no service needs to run. */
describe('gateway protocol errors', () => {
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    app = await createGatewayApp({
      serviceUrls: unreachableServices(),
      apiKeys: `${KEY}=tenant-p`,
      serviceTimeoutMs: 500,
      logLevels: ['fatal'],
    });
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  });

  afterAll(async () => {
    await app?.close();
  });

  const post = (path: string) => request(url).post(`/api/v1${path}`).set('x-api-key', KEY);

  it('answers 413 to a body over the limit', async () => {
    const response = await post('/deals')
      .set('content-type', 'application/json')
      .send(JSON.stringify({ title: 'x'.repeat(2 * 1024 * 1024) }))
      .expect(413);

    expect(response.body).toMatchObject({ error: 'PAYLOAD_TOO_LARGE' });
  });

  it('answers 400 to malformed JSON without quoting it', async () => {
    const response = await post('/deals')
      .set('content-type', 'application/json')
      .send('{"title": "Jane Doe",')
      .expect(400);

    expect(response.body).toMatchObject({ error: 'BAD_REQUEST' });
    expect(JSON.stringify(response.body)).not.toContain('Jane');
  });

  it('answers 400 or 404 to a NUL in a path id, and 400 naming a field with a NUL', async () => {
    const id = await request(url).get('/api/v1/deals/%00').set('x-api-key', KEY);
    const body = await post('/deals').send({ title: 'a\u0000b' }).expect(400);

    expect([400, 404]).toContain(id.status);
    expect(body.body.violations).toEqual([
      { field: 'title', reason: 'must not contain NUL characters' },
    ]);
  });

  it.each([
    ['text/plain', '{"title":"x"}'],
    ['application/xml', '<deal><title>x</title></deal>'],
    ['application/x-www-form-urlencoded', 'title=x'],
  ])('answers 415 to a %s body', async (type, body) => {
    const response = await post('/deals').set('content-type', type).send(body).expect(415);

    expect(response.body).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE' });
  });

  it('takes a JSON body with a charset, and a POST without a body', async () => {
    await post('/deals')
      .set('content-type', 'application/json; charset=utf-8')
      .send('{"title":"x","value":-1}')
      .expect(400);
    const empty = await post(`/deals/0192f1c2-7e4b-7aa1-b2c3-d4e5f6a7b8c9/won`);

    expect(empty.status).not.toBe(415);
  });

  it('refuses __proto__ and constructor keys like any unknown field', async () => {
    const response = await post('/deals')
      .set('content-type', 'application/json')
      .send('{"title":"x","__proto__":{"admin":true},"constructor":{"prototype":{}}}')
      .expect(400);

    expect(response.body.violations).toEqual([
      { field: '__proto__', reason: 'property __proto__ should not exist' },
      { field: 'constructor', reason: 'property constructor should not exist' },
    ]);
  });
});
