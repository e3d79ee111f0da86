import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';

import {
  AssignTaskRequest,
  ChangeTaskRequest,
  CommandContext,
  CompleteTaskRequest,
  CreateTaskRequest,
  Page,
  RescheduleTaskRequest,
  TaskListQuery,
  TaskView,
  WriteResult,
} from '@relate/contracts';
import {
  CommandTarget,
  Consistency,
  Ctx,
  orNotFound,
  ReadModels,
  Target,
  TenantId,
} from '@relate/service-kit';

import { taskNotFound } from '../activities.errors';
import { WorkProjection } from '../activities/work.projection';
import { TasksRepository } from './tasks.repository';
import { TasksService } from './tasks.service';

@Controller('tasks')
export class TasksController {
  constructor(
    private readonly tasks: TasksService,
    private readonly queries: TasksRepository,
    private readonly readModels: ReadModels,
  ) {}

  @Post()
  create(@Ctx() context: CommandContext, @Body() body: CreateTaskRequest): Promise<WriteResult> {
    return this.tasks.create(context, body);
  }

  @Patch(':id')
  change(@Target('id') target: CommandTarget, @Body() body: ChangeTaskRequest) {
    return this.tasks.change(target, body);
  }

  @Post(':id/complete')
  @HttpCode(200)
  complete(@Target('id') target: CommandTarget, @Body() body: CompleteTaskRequest) {
    return this.tasks.complete(target, body.outcome);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  reopen(@Target('id') target: CommandTarget): Promise<WriteResult> {
    return this.tasks.reopen(target);
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  reschedule(@Target('id') target: CommandTarget, @Body() body: RescheduleTaskRequest) {
    return this.tasks.reschedule(target, body.dueAt);
  }

  @Post(':id/assign')
  @HttpCode(200)
  assign(@Target('id') target: CommandTarget, @Body() body: AssignTaskRequest) {
    return this.tasks.assign(target, body.assigneeId);
  }

  @Get()
  async list(
    @TenantId() tenantId: string,
    @Query() query: TaskListQuery,
    @Consistency() token?: string,
  ): Promise<Page<TaskView>> {
    await this.readModels.waitFor(tenantId, token, [WorkProjection]);

    return this.queries.list(tenantId, query);
  }

  @Get(':id')
  async get(
    @TenantId() tenantId: string,
    @Param('id') id: string,
    @Consistency() token?: string,
  ): Promise<TaskView> {
    await this.readModels.waitFor(tenantId, token, [WorkProjection]);

    return orNotFound(await this.queries.find(tenantId, id), () => taskNotFound(id));
  }
}
