import { ContactsEventEnvelope, EventEnvelope, PipelineEventEnvelope } from '@relate/contracts';

import { changesOf } from './record-changes';

function envelope<T extends ContactsEventEnvelope | PipelineEventEnvelope>(
  type: T['type'],
  data: T['data'],
): T {
  const base: Omit<EventEnvelope, 'type' | 'data'> = {
    id: 'event-1',
    schemaVersion: 1,
    streamId: 'stream',
    streamVersion: 1,
    tenantId: 'tenant',
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    actor: { type: 'user', id: 'rep-1' },
    correlationId: 'c',
    causationId: null,
    traceparent: null,
  };

  return { ...base, type, data } as T;
}

describe('record changes', () => {
  it('puts a deal opening on the deal, its company and its person', () => {
    const opened = envelope<PipelineEventEnvelope>('DealOpened', {
      dealId: 'd1',
      title: 'Renewal',
      pipelineId: 'p1',
      stageId: 's1',
      companyId: 'c1',
      personId: 'pe1',
      ownerId: null,
      productId: null,
      value: 10,
      currency: 'USD',
      expectedCloseDate: null,
    });

    expect(changesOf(opened)).toEqual([
      {
        recordType: 'deal',
        recordId: 'd1',
        summary: 'Deal opened',
        pipelineId: 'p1',
        toStageId: 's1',
      },
      { recordType: 'company', recordId: 'c1', summary: 'Deal opened: Renewal' },
      { recordType: 'person', recordId: 'pe1', summary: 'Deal opened: Renewal' },
    ]);
  });

  it('keeps stage ids of a move for names at read time, and summarises values', () => {
    const moved = envelope<PipelineEventEnvelope>('DealMovedToStage', {
      dealId: 'd1',
      pipelineId: 'p1',
      fromStageId: 's1',
      toStageId: 's2',
    });
    expect(changesOf(moved)).toEqual([
      {
        recordType: 'deal',
        recordId: 'd1',
        summary: 'Stage changed',
        pipelineId: 'p1',
        fromStageId: 's1',
        toStageId: 's2',
      },
    ]);
    const valued = envelope<PipelineEventEnvelope>('DealValueChanged', {
      dealId: 'd1',
      value: 1200,
      previousValue: null,
      currency: 'EUR',
    });
    expect(changesOf(valued)[0].summary).toBe('Value changed from no value to 1200 EUR');
  });

  it('keeps personal data out of a person’s summaries', () => {
    const changed = envelope<ContactsEventEnvelope>('PersonDetailsChanged', {
      personId: 'pe1',
      personal: { email: 'ada@example.com' },
      title: 'CTO',
    });

    expect(changesOf(changed)).toEqual([
      { recordType: 'person', recordId: 'pe1', summary: 'Details changed: email, title' },
    ]);
  });

  it('makes no line for events of no record, present or future', () => {
    const rep = envelope<ContactsEventEnvelope>('SalesRepRegistered', {
      salesRepId: 'r1',
      personal: { name: 'Rep', manager: null },
      regionalOffice: null,
    });
    expect(changesOf(rep)).toEqual([]);
    expect(changesOf({ ...rep, type: 'SomethingNew' } as never)).toEqual([]);
  });
});
