import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';

import {
  AUTOMATION_ACTOR,
  dealStreamId,
  EventEnvelope,
  firingStreamId,
  ruleStreamId,
} from '@relate/contracts';
import { PostgresEventStore } from '@relate/event-store';
import { createPool } from '@relate/service-kit';
import { createTestDatabase, TestDatabase } from '@relate/testing';

import { AutomationWiring } from '../automation.wiring';
import { RulesProjection, writeRuleThrough } from '../rules/rules.projection';
import { EmailTemplatesProjection } from '../templates/email-templates.projection';
import { derivedId } from './derived-id';
import { RuleEngineReactor } from './rule-engine.reactor';

const tenantId = 'tenant-engine';
const user = { type: 'user' as const, id: 'rep-1' };

function envelope(
  type: string,
  dealId: string,
  version: number,
  data: object,
  actor: EventEnvelope['actor'] = user,
): EventEnvelope {
  const at = new Date('2026-03-02T10:00:00.000Z').toISOString();

  return {
    id: randomUUID(),
    type,
    schemaVersion: 1,
    streamId: dealStreamId(tenantId, dealId),
    streamVersion: version,
    tenantId,
    occurredAt: at,
    recordedAt: at,
    actor,
    correlationId: randomUUID(),
    causationId: null,
    traceparent: null,
    data: { dealId, ...data },
  };
}

describe(RuleEngineReactor.name, () => {
  let database: TestDatabase;
  let pool: Pool;
  let store: PostgresEventStore;
  let sut: RuleEngineReactor;
  const ruleId = randomUUID();

  async function apply(event: EventEnvelope): Promise<void> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await sut.apply(event, client);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }

  async function firingStreams(): Promise<number> {
    const { rows } = await pool.query<{ count: string }>(
      `SELECT count(*) FROM automation.streams WHERE stream_id LIKE 'firing-%'`,
    );

    return Number(rows[0].count);
  }

  beforeAll(async () => {
    database = await createTestDatabase('rule_engine');
    pool = createPool('rule-engine-spec', { connectionString: database.url, max: 3 });
    store = new PostgresEventStore(pool, { schema: 'automation' });
    await store.migrate();
    const wiring = new AutomationWiring();
    wiring.store = store;
    sut = new RuleEngineReactor(['pipeline'], wiring);
    const client = await pool.connect();
    try {
      for (const table of [new RulesProjection([]), new EmailTemplatesProjection([]), sut]) {
        await table.migrate(client);
      }
    } finally {
      client.release();
    }
    const context = { tenantId, actor: user, correlationId: randomUUID() };
    await store.append(
      ruleStreamId(tenantId, ruleId),
      'Rule',
      [
        {
          type: 'RuleDefined',
          data: {
            ruleId,
            name: 'Value went up',
            trigger: { eventType: 'DealValueChanged', toStageId: null, field: null },
            conditions: [{ type: 'valueAbove', amount: 100 }],
            actions: [
              {
                type: 'createTask',
                title: 'Check',
                dueInDays: 1,
                assignTo: 'owner',
                priority: 'low',
              },
            ],
          },
        },
      ],
      { expectedVersion: 'no_stream', context },
    );
    await writeRuleThrough(pool, await store.readStream(tenantId, ruleStreamId(tenantId, ruleId)));
  });

  afterAll(async () => {
    await pool?.end();
    await database?.drop();
  });

  it('fires once on an event, however often the event is delivered', async () => {
    const dealId = randomUUID();
    await apply(
      envelope('DealOpened', dealId, 1, {
        title: 'D',
        pipelineId: 'p',
        stageId: 's',
        companyId: null,
        personId: null,
        ownerId: 'rep-1',
        productId: null,
        value: 50,
        currency: 'USD',
        expectedCloseDate: null,
      }),
    );
    const trigger = envelope('DealValueChanged', dealId, 2, {
      value: 500,
      previousValue: 50,
      currency: 'USD',
    });
    const before = await firingStreams();
    await apply(trigger);
    await apply(trigger);

    expect(await firingStreams()).toBe(before + 1);
    const firingId = derivedId('firing', ruleId, trigger.id);
    const events = await store.readStream(tenantId, firingStreamId(tenantId, firingId));
    expect(events.map((e) => e.type)).toEqual(['RuleFired', 'FollowUpTaskRequested']);
    expect(events[0].actor).toEqual(AUTOMATION_ACTOR);
    expect(events[0].causationId).toBe(trigger.id);
    expect(events[1].data).toMatchObject({
      assigneeId: 'rep-1',
      dueAt: '2026-03-03T10:00:00.000Z',
    });
  });

  it('does not fire when a condition fails, and records nothing', async () => {
    const dealId = randomUUID();
    const before = await firingStreams();
    await apply(
      envelope('DealValueChanged', dealId, 1, { value: 5, previousValue: null, currency: 'USD' }),
    );

    expect(await firingStreams()).toBe(before);
  });

  it('never fires on an event the automation service caused (loop guard)', async () => {
    const dealId = randomUUID();
    const before = await firingStreams();
    const data = { value: 900, previousValue: null, currency: 'USD' };
    await apply(envelope('DealValueChanged', dealId, 1, data, { ...AUTOMATION_ACTOR }));

    expect(await firingStreams()).toBe(before);
    await apply(envelope('DealValueChanged', dealId, 2, data));
    expect(await firingStreams()).toBe(before + 1);
  });
});
