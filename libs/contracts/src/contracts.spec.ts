import {
  companyStreamId,
  ContactsEventTypes,
  dealStreamId,
  EventEnvelope,
  isContactsEnvelope,
  isContactsEventType,
  isPipelineEnvelope,
  isPipelineEventType,
  PipelineEventTypes,
} from './index';

describe('event catalogue', () => {
  it('lists every type once, with no type in both contexts', () => {
    const all = [...ContactsEventTypes, ...PipelineEventTypes];

    expect(new Set(all).size).toBe(all.length);
    expect(isContactsEventType('DealWon')).toBe(false);
    expect(isPipelineEventType('DealWon')).toBe(true);
    expect(isPipelineEnvelope({ type: 'DealWon' } as EventEnvelope)).toBe(true);
    expect(isContactsEnvelope({ type: 'DealWon' } as EventEnvelope)).toBe(false);
  });

  it('names streams per tenant, so that one aggregate id gives each tenant its own stream', () => {
    expect(dealStreamId('acme', 'd1')).toBe('deal-acme:d1');
    expect(dealStreamId('globex', 'd1')).not.toBe(dealStreamId('acme', 'd1'));
    expect(companyStreamId('acme', 'd1')).not.toBe(dealStreamId('acme', 'd1'));
  });
});
