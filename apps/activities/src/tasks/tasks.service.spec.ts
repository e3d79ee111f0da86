import { AUTOMATION_ACTOR, FollowUpTaskRequestedData } from '@relate/contracts';
import { EventSourcedRepository } from '@relate/service-kit';

import { TaskCommand } from './task.decider';
import { FollowUpTaskRequest, TasksService } from './tasks.service';

function request(priority?: unknown): FollowUpTaskRequest {
  const data: FollowUpTaskRequestedData = {
    firingId: 'f1',
    ruleId: 'r1',
    taskId: 't1',
    title: 'Call back',
    dueAt: '2026-04-01T09:00:00.000Z',
    assigneeId: 'rep-1',
    related: { personId: null, companyId: null, dealId: 'd1' },
  };

  return {
    id: 'event-1',
    type: 'FollowUpTaskRequested',
    schemaVersion: 1,
    streamId: 'firing-t:f1',
    streamVersion: 1,
    tenantId: 't',
    occurredAt: '2026-01-01T00:00:00.000Z',
    recordedAt: '2026-01-01T00:00:00.000Z',
    actor: AUTOMATION_ACTOR,
    correlationId: 'c',
    causationId: null,
    traceparent: null,
    data: priority === undefined ? data : ({ ...data, priority } as FollowUpTaskRequestedData),
  };
}

describe(`${TasksService.name}.createRequested`, () => {
  /** The commands the service ran, with their contexts. */
  async function created(priority?: unknown) {
    const runs: Array<{ context: { actor: unknown }; command: TaskCommand }> = [];
    const repository = {
      of: () => ({
        execute: async (target: { context: { actor: unknown } }, command: TaskCommand) => {
          runs.push({ context: target.context, command });

          return { id: 't1', version: 1, consistencyToken: 'token' };
        },
      }),
    } as unknown as EventSourcedRepository;
    const sut = new TasksService(repository, { next: () => 'unused' });
    await sut.createRequested(request(priority));

    return runs;
  }

  it('gives the task the priority the rule asked for, as the automation actor', async () => {
    const [run] = await created('high');

    expect(run.command).toMatchObject({ type: 'CreateTask', taskId: 't1', priority: 'high' });
    expect(run.context.actor).toEqual(AUTOMATION_ACTOR);
    expect((await created('low'))[0].command).toMatchObject({ priority: 'low' });
  });

  it('takes normal when the request names no priority or one it does not know', async () => {
    expect((await created())[0].command).toMatchObject({ priority: 'normal' });
    expect((await created('urgent'))[0].command).toMatchObject({ priority: 'normal' });
    expect((await created(3))[0].command).toMatchObject({ priority: 'normal' });
  });
});
