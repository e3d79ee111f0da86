import { EventEnvelope, FiringRecord } from '@relate/contracts';

import { evaluateConditions, firingEvents, triggerMatches } from './evaluate';

const event = (type: string, data: object): EventEnvelope => ({
  id: 'event-1',
  type,
  schemaVersion: 1,
  streamId: 'deal-t:d1',
  streamVersion: 2,
  tenantId: 't',
  occurredAt: '2026-03-02T10:00:00.000Z',
  recordedAt: '2026-03-02T10:00:01.000Z',
  actor: { type: 'user', id: 'rep-1' },
  correlationId: 'c',
  causationId: null,
  traceparent: null,
  data,
});

const record: FiringRecord = {
  dealId: 'd1',
  personId: 'p1',
  companyId: null,
  ownerId: 'rep-1',
  pipelineId: 'pipe-1',
  stageId: 'demo',
  value: 1500,
  source: 'Referral',
};

describe('triggerMatches', () => {
  it('matches the event type, and the stage a deal moved to when the trigger names one', () => {
    const trigger = { eventType: 'DealMovedToStage', toStageId: 'demo', field: null };
    expect(triggerMatches(trigger, event('DealMovedToStage', { toStageId: 'demo' }))).toBe(true);
    expect(triggerMatches(trigger, event('DealMovedToStage', { toStageId: 'lead' }))).toBe(false);
    expect(triggerMatches(trigger, event('DealRenamed', { toStageId: 'demo' }))).toBe(false);
    const won = { eventType: 'DealWon', toStageId: 'won-1', field: null };
    expect(triggerMatches(won, event('DealWon', { stageId: 'won-1' }))).toBe(true);
  });

  it('matches a field trigger only when the change touched that field', () => {
    const trigger = { eventType: 'CompanyDetailsChanged', toStageId: null, field: 'sector' };
    expect(
      triggerMatches(trigger, event('CompanyDetailsChanged', { changes: { sector: 'x' } })),
    ).toBe(true);
    expect(
      triggerMatches(trigger, event('CompanyDetailsChanged', { changes: { website: 'x' } })),
    ).toBe(false);
  });
});

describe('evaluateConditions', () => {
  it('records what each condition saw and whether it passed', () => {
    expect(
      evaluateConditions(
        [
          { type: 'valueAbove', amount: 1000 },
          { type: 'valueBelow', amount: 1000 },
          { type: 'stageIs', stageId: 'demo' },
          { type: 'ownerIs', ownerId: 'rep-2' },
          { type: 'sourceIs', source: 'referral' },
          { type: 'pipelineIs', pipelineId: 'pipe-1' },
        ],
        record,
      ).map(({ actual, passed }) => [actual, passed]),
    ).toEqual([
      [1500, true],
      [1500, false],
      ['demo', true],
      ['rep-1', false],
      ['Referral', true],
      ['pipe-1', true],
    ]);
  });

  it('fails value conditions on a record without a value', () => {
    const [seen] = evaluateConditions([{ type: 'valueBelow', amount: 10 }], {
      ...record,
      value: null,
    });
    expect(seen.passed).toBe(false);
  });
});

describe('firingEvents', () => {
  const input = {
    ruleId: 'rule-1',
    ruleVersion: 3,
    rule: {
      name: 'R',
      trigger: { eventType: 'DealMovedToStage', toStageId: null, field: null },
      conditions: [],
      actions: [
        {
          type: 'notify' as const,
          users: ['owner', 'rep-1', 'lead-9'],
          message: 'Hi {{deal.title}}',
        },
        { type: 'sendEmail' as const, templateId: 'tpl', to: 'owner' },
      ],
    },
    event: event('DealMovedToStage', { toStageId: 'demo' }),
    record: { ...record, deal: { title: 'Big one', currency: 'USD' } },
    conditions: [],
    ownerEmail: null,
    templates: { tpl: { subject: 'About {{deal.title}}', body: '{{deal.value}}' } },
  };

  it('derives the same ids from the same rule and trigger event', () => {
    expect(firingEvents(input)).toEqual(firingEvents(input));
    expect(firingEvents(input).firingId).not.toBe(
      firingEvents({ ...input, event: { ...input.event, id: 'event-2' } }).firingId,
    );
  });

  it('notifies each user once and queues an email without address when the owner has none', () => {
    const { events } = firingEvents(input);
    expect(events.map((e) => e.type)).toEqual([
      'RuleFired',
      'NotificationCreated',
      'NotificationCreated',
      'EmailQueued',
    ]);
    expect(events[1].data).toMatchObject({ userId: 'rep-1', personal: { message: 'Hi Big one' } });
    expect(events[3].data).toMatchObject({
      personal: { to: null, subject: 'About Big one', text: '1500' },
    });
  });

  it('records the owner-less owner of a mail or notification as skipped, not dropped', () => {
    const ownerless = { ...input, record: { ...input.record, ownerId: null } };
    const { firingId, events } = firingEvents(ownerless);

    expect(events.map((e) => e.type)).toEqual([
      'RuleFired',
      'RuleActionSkipped',
      'NotificationCreated',
      'NotificationCreated',
      'RuleActionSkipped',
    ]);
    expect(events[1].data).toEqual({
      firingId,
      ruleId: 'rule-1',
      actionIndex: 0,
      action: 'notify',
      reason: 'no-owner',
    });
    expect(events[4].data).toMatchObject({
      actionIndex: 1,
      action: 'sendEmail',
      reason: 'no-owner',
    });
  });

  it('cuts a long task title at 200 UTF-16 units without splitting an emoji', () => {
    const action = {
      type: 'createTask' as const,
      title: `${'x'.repeat(199)}\u{1F600} tail`,
      dueInDays: 1,
      assignTo: 'owner',
      priority: 'normal' as const,
    };
    const { events } = firingEvents({ ...input, rule: { ...input.rule, actions: [action] } });
    const title = (events[1].data as { title: string }).title;
    expect(title).toBe('x'.repeat(199));
    // A lone surrogate would make this JSON invalid for PostgreSQL's jsonb.
    expect(JSON.stringify(title)).not.toMatch(/\\ud83d/i);
  });
});
