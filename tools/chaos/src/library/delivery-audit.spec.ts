import { AuditedEvent, auditDelivery } from './delivery-audit';

function event(streamId: string, streamVersion: number): AuditedEvent {
  return { id: `${streamId}-${streamVersion}`, streamId, streamVersion };
}

describe(auditDelivery.name, () => {
  const committed = [event('a', 1), event('a', 2), event('a', 3), event('b', 1)];

  it('finds nothing wrong with exactly the committed events in stream order', () => {
    const audit = auditDelivery(committed, [
      event('b', 1),
      event('a', 1),
      event('a', 2),
      event('a', 3),
    ]);

    expect(audit).toMatchObject({ expected: 4, found: 4, lost: 0, extra: 0, duplicates: 0 });
    expect(audit).toMatchObject({ outOfOrder: 0, appliedTwice: 0 });
  });

  it('counts a missing event as lost and a rolled-back one as extra', () => {
    const audit = auditDelivery(committed, [
      event('a', 1),
      event('a', 2),
      event('a', 3),
      event('c', 1),
    ]);

    expect(audit).toMatchObject({ found: 3, lost: 1, extra: 1 });
  });

  it('counts redeliveries as duplicates that a version check applies once', () => {
    const delivered = [event('a', 1), event('a', 2), event('a', 1), event('a', 3), event('a', 2)];

    const audit = auditDelivery(committed, [...delivered, event('b', 1), event('b', 1)]);

    expect(audit).toMatchObject({ lost: 0, duplicates: 3, outOfOrder: 0, appliedTwice: 0 });
  });

  it('counts an event behind a later version of its stream as out of order and lost', () => {
    const audit = auditDelivery(committed, [
      event('a', 1),
      event('a', 3),
      event('a', 2),
      event('b', 1),
    ]);

    expect(audit).toMatchObject({ found: 4, lost: 1, outOfOrder: 2 });
  });
});
