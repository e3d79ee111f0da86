import { randomUUID } from 'node:crypto';

import { ChaosStack } from '../support/chaos-stack';

/** A rule that acts on every stage move: a follow-up task (due now), a mail, a notification. */
export interface RuleWitness {
  ruleId: string;
  templateId: string;
}

/** What the reactors did for the rule, counted in the event stores. */
export interface ReactorAudit {
  /** Stage moves stored in the pipeline's event store: each must fire the rule once. */
  moves: number;
  firings: number;
  /** Moves that fired nothing, and moves that fired more than once (extra firings). */
  movesNotFired: number;
  extraFirings: number;
  tasksRequested: number;
  tasksCreated: number;
  /** Requested tasks never created, and creations beyond one per requested task. */
  tasksMissing: number;
  extraTasks: number;
  mailsQueued: number;
  /** Mails queued and never taken up by the mail reactor (no claim). */
  mailsUnclaimed: number;
  /** Mails claimed but with no outcome: a crash between claim and send (at most once). */
  mailsWithoutOutcome: number;
  /** Claims or outcomes beyond one per mail: a mail handled twice. */
  extraMailHandlings: number;
  notifications: number;
  /** Rule tasks whose reminder was claimed, and those with no reminder at all. */
  reminders: number;
  remindersMissing: number;
  /** Claims or outcomes beyond one per task's reminder: a reminder handled twice. */
  extraReminderHandlings: number;
}

/**
 * Defines, through the gateway, a mail template and a rule on every `DealMovedToStage` whose
 * actions make each reactor work: the follow-up task requests (activities), the rule mails
 * (automation) and notifications. Resolves once the rule engine can see the rule.
 */
export async function defineRuleWitness(stack: ChaosStack): Promise<RuleWitness> {
  const templateId = randomUUID();
  const ruleId = randomUUID();
  const template = await stack.gateway.post('/email-templates', {
    id: templateId,
    name: 'Chaos move',
    subject: 'Moved: {{deal.title}}',
    body: '{{deal.title}} moved to another stage.',
  });
  if (template.status !== 201) {
    throw new Error(`no template: ${template.status} ${JSON.stringify(template.body)}`);
  }
  const rule = await stack.gateway.post('/rules', {
    id: ruleId,
    name: 'Chaos follow-up',
    trigger: { eventType: 'DealMovedToStage' },
    actions: [
      // Due at once and assigned: each task's reminder goes out right away, once.
      {
        type: 'createTask',
        title: 'Follow up {{deal.title}}',
        dueInDays: 0,
        assignTo: 'chaos-rep',
      },
      { type: 'sendEmail', templateId, to: 'chaos-watcher@example.test' },
      { type: 'notify', users: ['chaos-watcher'], message: '{{deal.title}} moved' },
    ],
  });
  if (rule.status !== 201) {
    throw new Error(`no rule: ${rule.status} ${JSON.stringify(rule.body)}`);
  }
  const token = (rule.body as { consistencyToken: string }).consistencyToken;
  const seen = await stack.gateway.get(`/rules/${ruleId}?consistency=${token}`);
  if (seen.status !== 200) {
    throw new Error(`rule not readable: ${seen.status} ${JSON.stringify(seen.body)}`);
  }
  // The engine reads the rules' read model: wait until it holds the rule, not only the view.
  const deadline = Date.now() + 15_000;
  for (;;) {
    const rows = await stack.sql(
      `SELECT 1 FROM automation.rules WHERE rule_id = $1 AND status = 'enabled'`,
      [ruleId],
    );
    if (rows.length === 1) break;
    if (Date.now() > deadline) throw new Error('the rule never reached automation.rules');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return { ruleId, templateId };
}

/**
 * Counts, in the event stores, what the reactors did for every stored stage move: exactly one
 * firing per move (the rule engine), exactly one task created per task the firing requested
 * (activities' follow-up reactor), at most one claim and one outcome per queued mail (the mail
 * reactor). Call once everything has settled.
 */
export async function auditReactors(
  stack: ChaosStack,
  witness: RuleWitness,
): Promise<ReactorAudit> {
  const tenant = stack.tenantId;
  const count = async (sql: string, params: unknown[]): Promise<number> =>
    Number((await stack.sql<{ n: string }>(sql, params))[0]?.n ?? 0);
  const moves = await count(
    `SELECT count(*) AS n FROM pipeline.events WHERE tenant_id = $1 AND type = 'DealMovedToStage'`,
    [tenant],
  );
  const firingsPerMove = await stack.sql<{ fired: number }>(
    `SELECT (SELECT count(*)::int FROM automation.events f
       WHERE f.tenant_id = m.tenant_id AND f.type = 'RuleFired' AND f.data->>'ruleId' = $2
         AND f.data->'trigger'->>'eventId' = m.event_id::text) AS fired
     FROM pipeline.events m WHERE m.tenant_id = $1 AND m.type = 'DealMovedToStage'`,
    [tenant, witness.ruleId],
  );
  const firings = await count(
    `SELECT count(*) AS n FROM automation.events
     WHERE tenant_id = $1 AND type = 'RuleFired' AND data->>'ruleId' = $2`,
    [tenant, witness.ruleId],
  );
  const tasks = await stack.sql<{ created: number }>(
    `SELECT (SELECT count(*)::int FROM activities.events t
       WHERE t.tenant_id = r.tenant_id AND t.type = 'TaskCreated'
         AND t.data->>'taskId' = r.data->>'taskId'
         AND t.data->'source'->>'firingId' = r.data->>'firingId') AS created
     FROM automation.events r
     WHERE r.tenant_id = $1 AND r.type = 'FollowUpTaskRequested' AND r.data->>'ruleId' = $2`,
    [tenant, witness.ruleId],
  );
  // Any task created from a firing of the rule, requested or not: more would be doubles.
  const tasksCreated = await count(
    `SELECT count(*) AS n FROM activities.events
     WHERE tenant_id = $1 AND type = 'TaskCreated' AND data->'source'->>'ruleId' = $2`,
    [tenant, witness.ruleId],
  );
  const mails = await stack.sql<{ claims: number; outcomes: number }>(
    `SELECT
       (SELECT count(*)::int FROM automation.events c WHERE c.tenant_id = q.tenant_id
          AND c.type = 'EmailSendClaimed' AND c.data->>'emailId' = q.data->>'emailId') AS claims,
       (SELECT count(*)::int FROM automation.events o WHERE o.tenant_id = q.tenant_id
          AND o.type IN ('EmailSent', 'EmailNotSent') AND o.data->>'emailId' = q.data->>'emailId')
          AS outcomes
     FROM automation.events q
     WHERE q.tenant_id = $1 AND q.type = 'EmailQueued' AND q.data->>'ruleId' = $2`,
    [tenant, witness.ruleId],
  );
  const reminders = await remindersOf(stack, witness, tasksCreated);
  const notifications = await count(
    `SELECT count(*) AS n FROM automation.events
     WHERE tenant_id = $1 AND type = 'NotificationCreated' AND data->>'ruleId' = $2`,
    [tenant, witness.ruleId],
  );

  return {
    moves,
    firings,
    movesNotFired: firingsPerMove.filter(({ fired }) => fired === 0).length,
    extraFirings: firingsPerMove.reduce((sum, { fired }) => sum + Math.max(fired - 1, 0), 0),
    tasksRequested: tasks.length,
    tasksCreated,
    tasksMissing: tasks.filter(({ created }) => created === 0).length,
    extraTasks: Math.max(tasksCreated - tasks.filter(({ created }) => created > 0).length, 0),
    mailsQueued: mails.length,
    mailsUnclaimed: mails.filter(({ claims }) => claims === 0).length,
    mailsWithoutOutcome: mails.filter(({ claims, outcomes }) => claims > 0 && outcomes === 0)
      .length,
    extraMailHandlings: mails.reduce(
      (sum, { claims, outcomes }) => sum + Math.max(claims - 1, 0) + Math.max(outcomes - 1, 0),
      0,
    ),
    notifications,
    reminders: reminders.filter(({ claims }) => claims > 0).length,
    remindersMissing: Math.max(
      tasksCreated - reminders.filter(({ claims }) => claims > 0).length,
      0,
    ),
    extraReminderHandlings: reminders.reduce(
      (sum, { claims, outcomes }) => sum + Math.max(claims - 1, 0) + Math.max(outcomes - 1, 0),
      0,
    ),
  };
}

/**
 * Each rule task's reminder events (claims, outcomes), once every task has one with an outcome
 * or 30 s have passed: the scheduler sends due reminders on its own clock.
 */
async function remindersOf(
  stack: ChaosStack,
  witness: RuleWitness,
  tasks: number,
): Promise<Array<{ claims: number; outcomes: number }>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const rows = await stack.sql<{ claims: number; outcomes: number }>(
      `SELECT count(*) FILTER (WHERE r.type = 'ReminderSendClaimed')::int AS claims,
         count(*) FILTER (WHERE r.type IN ('ReminderSent', 'ReminderNotSent'))::int AS outcomes
       FROM automation.events r
       JOIN activities.events t ON t.tenant_id = r.tenant_id AND t.type = 'TaskCreated'
         AND t.data->>'taskId' = r.data->>'taskId' AND t.data->'source'->>'ruleId' = $2
       WHERE r.tenant_id = $1 AND r.type LIKE 'Reminder%'
       GROUP BY r.data->>'taskId'`,
      [stack.tenantId, witness.ruleId],
    );
    const done = rows.filter(({ outcomes }) => outcomes > 0).length >= tasks;
    if (done || Date.now() > deadline) return rows;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Reactor work that never happened. */
export function reactorsLost(audit: ReactorAudit): number {
  return audit.movesNotFired + audit.tasksMissing + audit.mailsUnclaimed + audit.remindersMissing;
}

/** Reactor work done more than once. */
export function reactorsTwice(audit: ReactorAudit): number {
  return (
    audit.extraFirings + audit.extraTasks + audit.extraMailHandlings + audit.extraReminderHandlings
  );
}
