import { Inject, Injectable, Logger } from '@nestjs/common';

import {
  ActivitiesStreams,
  AUTOMATION_ACTOR,
  ChangeTaskRequest,
  CommandContext,
  CreateTaskRequest,
  EnvelopeOf,
  AutomationEventDataMap,
  TaskPriority,
  WriteResult,
} from '@relate/contracts';
import { isRelateError } from '@relate/errors';
import { IdGenerator } from '@relate/event-store';
import {
  AggregateRepository,
  CommandTarget,
  EventSourcedRepository,
  ID_GENERATOR,
} from '@relate/service-kit';

import { TASK_PRIORITIES, TaskCommand, taskDecider, TaskState } from './task.decider';

export type FollowUpTaskRequest = EnvelopeOf<AutomationEventDataMap, 'FollowUpTaskRequested'>;

/**
 * The priority a rule asked for; normal when it asked none (requests from before the field) or
 * one this service does not know: a request is never refused for it, the task matters more.
 */
export function requestedPriority(priority: unknown): TaskPriority {
  return TASK_PRIORITIES.includes(priority as TaskPriority) ? (priority as TaskPriority) : 'normal';
}

/** Task commands: load, decide, append. Rules live in the decider. */
@Injectable()
export class TasksService {
  private readonly logger = new Logger(TasksService.name);
  private readonly tasks: AggregateRepository<TaskCommand, TaskState>;

  constructor(
    repository: EventSourcedRepository,
    @Inject(ID_GENERATOR) private readonly ids: IdGenerator,
  ) {
    this.tasks = repository.of(taskDecider, ActivitiesStreams.task);
  }

  create(context: CommandContext, request: CreateTaskRequest): Promise<WriteResult> {
    const taskId = request.id ?? this.ids.next();
    // A task a rep writes down is theirs unless the request names another assignee.
    const assigneeId =
      request.assigneeId === undefined && context.actor.type === 'user'
        ? context.actor.id
        : (request.assigneeId ?? null);

    return this.tasks.execute(
      { context, id: taskId },
      {
        type: 'CreateTask',
        taskId,
        title: request.title,
        dueAt: request.dueAt,
        assigneeId,
        priority: request.priority ?? 'normal',
        related: {
          personId: request.personId ?? null,
          companyId: request.companyId ?? null,
          dealId: request.dealId ?? null,
        },
        notes: request.notes ?? null,
        reminder: request.reminder ?? true,
        source: { type: 'user' },
      },
    );
  }

  /**
   * The task a rule firing asked for, as automation itself: created once, however often the
   * request is delivered (the task id comes from the firing; a second create conflicts).
   */
  async createRequested(request: FollowUpTaskRequest): Promise<void> {
    const { data } = request;
    const priority = requestedPriority(data.priority);
    if (data.priority !== undefined && data.priority !== priority) {
      this.logger.warn('follow-up task priority unknown; normal taken', { eventId: request.id });
    }
    const context: CommandContext = {
      tenantId: request.tenantId,
      actor: AUTOMATION_ACTOR,
      correlationId: request.correlationId,
      causationId: request.id,
      traceparent: request.traceparent,
    };
    try {
      await this.tasks.execute(
        { context, id: data.taskId, expectedVersion: 0 },
        {
          type: 'CreateTask',
          taskId: data.taskId,
          title: data.title,
          dueAt: data.dueAt,
          assigneeId: data.assigneeId,
          priority,
          related: data.related,
          notes: null,
          reminder: true,
          source: { type: 'rule', ruleId: data.ruleId, firingId: data.firingId },
        },
      );
      this.logger.log('follow-up task created', { taskId: data.taskId, ruleId: data.ruleId });
    } catch (error) {
      if (isRelateError(error) && error.category === 'conflict') {
        this.logger.log('follow-up task exists already', { taskId: data.taskId });

        return;
      }
      throw error;
    }
  }

  change(target: CommandTarget, changes: ChangeTaskRequest): Promise<WriteResult> {
    return this.tasks.execute(target, { type: 'ChangeTaskDetails', taskId: target.id, changes });
  }

  complete(target: CommandTarget, outcome: string | null | undefined): Promise<WriteResult> {
    return this.tasks.execute(target, {
      type: 'CompleteTask',
      taskId: target.id,
      outcome: outcome ?? null,
    });
  }

  reopen(target: CommandTarget): Promise<WriteResult> {
    return this.tasks.execute(target, { type: 'ReopenTask', taskId: target.id });
  }

  reschedule(target: CommandTarget, dueAt: string): Promise<WriteResult> {
    return this.tasks.execute(target, { type: 'RescheduleTask', taskId: target.id, dueAt });
  }

  assign(target: CommandTarget, assigneeId: string): Promise<WriteResult> {
    return this.tasks.execute(target, { type: 'ReassignTask', taskId: target.id, assigneeId });
  }
}
