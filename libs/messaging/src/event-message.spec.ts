import { EventEnvelope, EventHeaders } from '@relate/contracts';

import { decodeEventMessage, headerText, toKafkaMessage } from './event-message';

function envelope(overrides: Partial<EventEnvelope> = {}): EventEnvelope {
  return {
    id: '01890a5d-ac96-774b-bcce-b302099a8057',
    type: 'DealWon',
    schemaVersion: 1,
    streamId: 'deal-1',
    streamVersion: 3,
    tenantId: 'tenant-a',
    occurredAt: '2017-03-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    actor: { type: 'user', id: 'user-1' },
    correlationId: 'corr-1',
    causationId: null,
    traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    data: { value: 10 },
    ...overrides,
  };
}

describe('toKafkaMessage', () => {
  it('keys by stream id and carries type, tenant and trace context in headers', () => {
    const event = envelope();

    const message = toKafkaMessage(event);

    expect(message.key).toBe('deal-1');
    expect(message.headers).toEqual({
      [EventHeaders.type]: 'DealWon',
      [EventHeaders.tenant]: 'tenant-a',
      [EventHeaders.traceparent]: event.traceparent,
    });
    expect(decodeEventMessage({ value: Buffer.from(message.value as string) })).toEqual(event);
  });

  it('leaves the traceparent header out when the event has none', () => {
    expect(toKafkaMessage(envelope({ traceparent: null })).headers).not.toHaveProperty(
      EventHeaders.traceparent,
    );
  });
});

describe('decodeEventMessage', () => {
  it.each([
    ['no value', null],
    ['a value that is not JSON', Buffer.from('{oops')],
    ['JSON that is not an envelope', Buffer.from('{"hello":"world"}')],
    ['a version below 1', Buffer.from(JSON.stringify(envelope({ streamVersion: 0 })))],
  ])('rejects %s as a permanent validation error', (_label, value) => {
    expect(() => decodeEventMessage({ value })).toThrow(
      expect.objectContaining({ code: 'MESSAGING.UNDECODABLE_EVENT', retriable: false }),
    );
  });
});

describe('headerText', () => {
  it('reads the first value of buffers, strings and arrays', () => {
    const headers = { a: Buffer.from('x'), b: 'y', c: [Buffer.from('z'), 'w'] };

    expect([headerText(headers, 'a'), headerText(headers, 'b'), headerText(headers, 'c')]).toEqual([
      'x',
      'y',
      'z',
    ]);
    expect(headerText(headers, 'missing')).toBeUndefined();
  });
});
