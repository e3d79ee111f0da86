import { ActivityEvent, ActivityLoggedData } from '@relate/contracts';
import { deciderSpecification } from '@relate/service-kit';

import { ActivityCommand, activityDecider } from './activity.decider';

const activityId = '0190a0b0-0000-7000-8000-0000000000a1';
const personId = '0190a0b0-0000-7000-8000-0000000000b1';
const related = { personId, companyId: null, dealId: null };
const INVALID = { code: 'ACTIVITIES.VALIDATION_FAILED', category: 'validation' };
const spec = deciderSpecification(activityDecider);

const logged = (overrides: Partial<ActivityLoggedData> = {}): ActivityEvent => ({
  type: 'ActivityLogged',
  data: {
    activityId,
    kind: 'call',
    direction: 'outbound',
    outcome: 'connected',
    durationMinutes: 15,
    ownerId: 'rep-1',
    related,
    personal: { subject: 'Intro', body: null },
    ...overrides,
  },
});

const log = (overrides: Partial<Extract<ActivityCommand, { type: 'LogActivity' }>> = {}) =>
  ({
    type: 'LogActivity',
    activityId,
    kind: 'call',
    occurredAt: '2026-03-01T09:30:00+01:00',
    direction: 'outbound',
    outcome: ' connected ',
    durationMinutes: 15,
    ownerId: 'rep-1',
    related,
    subject: 'Intro',
    body: '  ',
    ...overrides,
  }) as ActivityCommand;

describe('activity decider', () => {
  it('logs an activity at its business time, trimming text and blanking empty text', () => {
    spec
      .given([])
      .when(log())
      .then([{ ...logged(), occurredAt: '2026-03-01T08:30:00.000Z' }]);
  });

  it('refuses an activity about no record, a directed note and a duration over a day', () => {
    spec
      .given([])
      .when(
        log({
          kind: 'note',
          related: { personId: null, companyId: null, dealId: null },
          durationMinutes: 1441,
        }),
      )
      .thenThrows({
        ...INVALID,
        violations: [
          { field: 'direction', reason: 'a note has no direction' },
          { field: 'durationMinutes', reason: 'must be an integer 0..1440' },
          { field: 'personId', reason: 'one of personId, companyId, dealId is needed' },
        ],
      });
  });

  it('refuses an unknown kind, business time in the future or without a zone', () => {
    spec
      .given([])
      .when(log({ kind: 'fax' as never }))
      .thenThrows({ ...INVALID, violations: [{ field: 'kind', reason: expect.any(String) }] });
    spec
      .given([])
      .when(log({ occurredAt: '2026-03-03T00:00:00Z' }))
      .thenThrows({
        ...INVALID,
        violations: [{ field: 'occurredAt', reason: 'must not be in the future' }],
      });
    spec
      .given([])
      .when(log({ occurredAt: '2026-03-01T09:30:00' }))
      .thenThrows({
        ...INVALID,
        violations: [{ field: 'occurredAt', reason: expect.any(String) }],
      });
  });

  it('refuses text over its bound', () => {
    spec
      .given([])
      .when(log({ subject: 'x'.repeat(201) }))
      .thenThrows({
        ...INVALID,
        violations: [{ field: 'subject', reason: 'must be at most 200 characters' }],
      });
  });

  it('refuses logging the same activity twice', () => {
    spec
      .given([logged()])
      .when(log())
      .thenThrows({ code: 'ACTIVITIES.ALREADY_EXISTS', category: 'conflict' });
  });

  it('corrects only what differs, personal text apart', () => {
    spec
      .given([logged()])
      .when({
        type: 'CorrectActivity',
        activityId,
        outcome: 'connected',
        durationMinutes: 30,
        body: 'Wants a demo',
      })
      .then([
        {
          type: 'ActivityCorrected',
          data: {
            activityId,
            changes: { durationMinutes: 30, personal: { body: 'Wants a demo' } },
          },
        },
      ]);
    spec
      .given([logged()])
      .when({ type: 'CorrectActivity', activityId, outcome: 'connected' })
      .then([]);
  });

  it('deletes an activity; afterwards it is not found', () => {
    spec
      .given([logged()])
      .when({ type: 'DeleteActivity', activityId })
      .then([{ type: 'ActivityDeleted', data: { activityId } }]);
    const deleted: ActivityEvent = { type: 'ActivityDeleted', data: { activityId } };
    spec
      .given([logged(), deleted])
      .when({ type: 'CorrectActivity', activityId, outcome: 'held' })
      .thenThrows({ code: 'ACTIVITIES.ACTIVITY_NOT_FOUND', category: 'not_found' });
    spec
      .given([])
      .when({ type: 'DeleteActivity', activityId })
      .thenThrows({ code: 'ACTIVITIES.ACTIVITY_NOT_FOUND', category: 'not_found' });
  });
});
