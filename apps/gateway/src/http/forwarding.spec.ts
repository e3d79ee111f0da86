import { HttpResponse } from '@relate/service-kit';

import { Forwarding, IncomingCall } from './forwarding';
import { ServiceClient } from './service.client';

const written = { id: 'd1', version: 4, consistencyToken: 't4' };

function incoming(headers: { ifMatch?: string; consistencyToken?: string } = {}) {
  const setHeader = jest.fn();
  const call: IncomingCall = {
    caller: { tenantId: 'acme', actorId: 'k1', correlationId: 'c1', traceparent: 'tp' },
    ifMatch: headers.ifMatch,
    consistencyToken: headers.consistencyToken,
    response: { setHeader } as unknown as HttpResponse,
  };

  return { call, setHeader };
}

function forwardingTo(answer: unknown) {
  const send = jest.fn().mockResolvedValue(answer);
  const sut = new Forwarding({ send } as unknown as ServiceClient);

  return { sut, send };
}

describe(Forwarding.name, () => {
  it('creates without an expected version, whatever If-Match says, and sets the ETag', async () => {
    const { sut, send } = forwardingTo(written);
    const { call, setHeader } = incoming({ ifMatch: '"9"' });

    expect(await sut.create(call, '/deals', { title: 'x' })).toEqual(written);
    expect(send).toHaveBeenCalledWith(call.caller, 'POST', '/deals', { body: { title: 'x' } });
    expect(setHeader).toHaveBeenCalledWith('ETag', '"4"');
  });

  it('forwards a command’s If-Match as expected version, with an empty default body', async () => {
    const { sut, send } = forwardingTo(written);
    const { call } = incoming({ ifMatch: 'W/"3"' });

    await sut.command(call, 'POST', '/deals/d1/won');

    expect(send).toHaveBeenCalledWith(call.caller, 'POST', '/deals/d1/won', {
      body: {},
      expectedVersion: 3,
    });
  });

  it('prefers the consistency token of the query to the header, and strips it', async () => {
    const { sut, send } = forwardingTo({ items: [] });
    const { call } = incoming({ consistencyToken: 'from-header' });

    await sut.list(call, '/deals', { consistency: 'from-query', page: 2 } as never);
    await sut.one(call, '/deals/d1', {});

    expect(send).toHaveBeenNthCalledWith(1, call.caller, 'GET', '/deals', {
      query: { page: 2 },
      consistencyToken: 'from-query',
    });
    expect(send).toHaveBeenNthCalledWith(2, call.caller, 'GET', '/deals/d1', {
      consistencyToken: 'from-header',
    });
  });
});
