import { EventEnvelope } from '@relate/contracts';
import { PoolClient } from 'pg';

import { FollowUpTaskRequestsReactor } from './follow-up-task-requests.reactor';

const client = {} as PoolClient;

function envelope(type: string, schemaVersion = 1): EventEnvelope {
  return {
    id: 'event-1',
    type,
    schemaVersion,
    streamId: 'firing-t:f1',
    streamVersion: 1,
    tenantId: 't',
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    actor: { type: 'system', id: 'automation' },
    correlationId: 'c',
    causationId: null,
    traceparent: null,
    data: {},
  };
}

describe(FollowUpTaskRequestsReactor.name, () => {
  it('passes over every other automation event without waiting for a handler', async () => {
    const reactor = new FollowUpTaskRequestsReactor(['automation']);

    await expect(reactor.apply(envelope('RuleDefined'), client)).resolves.toBeUndefined();
    expect(reactor.tables).toEqual([]);
  });

  it('hands a request to the handler once it is bound, and fails an unknown schema', async () => {
    const reactor = new FollowUpTaskRequestsReactor(['automation']);
    const handled: string[] = [];
    const applied = reactor.apply(envelope('FollowUpTaskRequested'), client);
    reactor.handleWith(async (request) => {
      handled.push(request.id);
    });

    await applied;
    expect(handled).toEqual(['event-1']);
    await expect(reactor.apply(envelope('FollowUpTaskRequested', 2), client)).rejects.toMatchObject(
      { code: 'PROJECTION.UNKNOWN_SCHEMA_VERSION' },
    );
  });
});
