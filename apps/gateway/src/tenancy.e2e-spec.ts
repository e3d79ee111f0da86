import { randomUUID } from 'node:crypto';

import { CompanyView, PersonView } from '@relate/contracts';

import { E2eStack, eventually, startE2eStack } from './testing/e2e-stack';

describe('contacts and tenancy through the gateway', () => {
  let stack: E2eStack;
  const companyId = randomUUID();
  const personId = randomUUID();
  const repId = randomUUID();
  let dealId = '';

  beforeAll(async () => {
    stack = await startE2eStack('tenancy');
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('answers health without a key, and 401 to every API call without a valid one', async () => {
    const health = await stack.as('anonymous').get('/health').expect(200);
    expect(health.body).toEqual({
      status: 'ok',
      services: {
        gateway: 'ok',
        contacts: 'ok',
        pipeline: 'ok',
        activities: 'ok',
        automation: 'ok',
        reporting: 'ok',
      },
    });

    const refused = await stack.as('anonymous').get('/companies').expect(401);
    expect(refused.body.error).toBe('UNAUTHORIZED');
    await stack.as('anonymous').get('/companies').set('x-api-key', 'wrong').expect(401);
  });

  it('lists every invalid field of a body with the reason', async () => {
    const response = await stack
      .as('a')
      .post('/companies', { name: '', revenue: -5, employees: 2.5, founded: 1999 })
      .expect(400);

    expect(response.body).toMatchObject({
      error: 'VALIDATION_FAILED',
      message: expect.any(String),
    });
    const fields = response.body.violations.map((v: { field: string }) => v.field);
    expect(new Set(fields)).toEqual(new Set(['name', 'revenue', 'employees', 'founded']));
    expect(response.body.violations).toContainEqual({
      field: 'founded',
      reason: 'property founded should not exist',
    });
  });

  it('registers a rep, a company and a person, and finds them in the lists', async () => {
    const a = stack.as('a');
    await a.post('/reps', { id: repId, name: 'Dana Rep', regionalOffice: 'East' }).expect(201);
    await a.post('/companies', { id: companyId, name: 'Globex', ownerId: repId }).expect(201);
    const person = await a
      .post('/people', {
        id: personId,
        firstName: 'Ada',
        lastName: 'Lovelace',
        email: 'ada@example.test',
        companyId,
      })
      .expect(201);

    const found = await a
      .get(`/people/${personId}?consistency=${person.body.consistencyToken}`)
      .expect(200);
    expect(found.body).toMatchObject({ firstName: 'Ada', companyId, version: 1 });
    expect(found.headers.etag).toBe('"1"');
    const companies = await eventually(async () => {
      const response = await a.get(`/companies?search=glob&ownerId=${repId}`).expect(200);

      return response.body.total === 1 ? (response.body.items as CompanyView[]) : undefined;
    });
    expect(companies[0]).toMatchObject({ id: companyId, name: 'Globex', archived: false });
    const reps = await eventually(async () => {
      const response = await a.get('/reps').expect(200);

      return response.body.total === 1 ? response.body.items : undefined;
    });
    expect(reps[0]).toMatchObject({ id: repId, name: 'Dana Rep', regionalOffice: 'East' });
  });

  it('answers 409 ALREADY_EXISTS when an id is created twice', async () => {
    const again = await stack.as('a').post('/companies', { id: companyId, name: 'X' }).expect(409);

    expect(again.body.error).toBe('ALREADY_EXISTS');
  });

  it('links people only to companies of the tenant and records the link changes', async () => {
    const a = stack.as('a');
    const unknown = await a.post(`/people/${personId}/company`, { companyId: randomUUID() });
    expect(unknown.status).toBe(400);
    expect(unknown.body.violations).toEqual([
      { field: 'companyId', reason: 'names no company of this tenant' },
    ]);

    const unlinked = await a.post(`/people/${personId}/company`, { companyId: null }).expect(200);
    const person = await a
      .get(`/people/${personId}?consistency=${unlinked.body.consistencyToken}`)
      .expect(200);
    expect((person.body as PersonView).companyId).toBeNull();
  });

  it('refuses changes to an archived company until it is unarchived', async () => {
    const a = stack.as('a');
    await a.post(`/companies/${companyId}/archive`).expect(200);
    const refused = await a.patch(`/companies/${companyId}`, { sector: 'retail' }).expect(409);
    expect(refused.body.error).toBe('COMPANY_ARCHIVED');

    const unarchived = await a.post(`/companies/${companyId}/unarchive`).expect(200);
    await a.patch(`/companies/${companyId}`, { sector: 'retail' }).expect(200);
    const listed = await a
      .get(`/companies?consistency=${unarchived.body.consistencyToken}`)
      .expect(200);
    expect(listed.body.total).toBe(1);
  });

  it('keeps tenants apart: another tenant sees 404s and empty lists', async () => {
    const opened = await stack.as('a').post('/deals', { title: 'Secret deal', companyId });
    expect(opened.status).toBe(201);
    dealId = opened.body.id;
    await stack
      .as('a')
      .get(`/deals/${dealId}?consistency=${opened.body.consistencyToken}`)
      .expect(200);

    const b = stack.as('b');
    await b.get(`/deals/${dealId}`).expect(404);
    await b.get(`/deals/${dealId}/history`).expect(404);
    await b.get(`/companies/${companyId}`).expect(404);
    await b.get(`/people/${personId}`).expect(404);
    await b.post(`/deals/${dealId}/won`, {}).expect(404);
    await b.patch(`/companies/${companyId}`, { name: 'Hijacked' }).expect(404);
    for (const list of ['/deals', '/companies', '/people', '/reps', '/products']) {
      const response = await b.get(list).expect(200);
      expect({ list, total: response.body.total }).toEqual({ list, total: 0 });
    }
  });

  it('lets two tenants use the same id without touching each other', async () => {
    await stack.as('b').post('/companies', { id: companyId, name: 'Other Globex' }).expect(201);
    const own = await eventually(async () => {
      const response = await stack.as('b').get(`/companies/${companyId}`);

      return response.status === 200 ? (response.body as CompanyView) : undefined;
    });
    expect(own.name).toBe('Other Globex');
    const original = await stack.as('a').get(`/companies/${companyId}`).expect(200);
    expect(original.body.name).toBe('Globex');
  });

  it('gives each tenant a default pipeline of its own', async () => {
    const [a, b] = await Promise.all([
      stack.as('a').get('/pipelines').expect(200),
      stack.as('b').get('/pipelines').expect(200),
    ]);
    const defaultOf = (body: { items: Array<{ id: string; isDefault: boolean }> }) =>
      body.items.find((pipeline) => pipeline.isDefault);

    expect(defaultOf(a.body)?.id).toBeDefined();
    expect(defaultOf(b.body)?.id).not.toEqual(defaultOf(a.body)?.id);
    expect(b.body.items).toHaveLength(1);
  });
});
