import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';

import { Page, TaskView, WriteResult } from '@relate/contracts';

import { ApiKeyGuard } from '../auth/api-key.guard';
import { ActivitiesForwarding, Incoming, IncomingCall } from '../http/forwarding';
import { pathOf } from '../http/paths';
import { ReadQueryDto } from '../http/query.dto';
import {
  AssignTaskDto,
  ChangeTaskDto,
  CompleteTaskDto,
  CreateTaskDto,
  RescheduleTaskDto,
  TaskListQueryDto,
} from './activities.dto';

@Controller('tasks')
@UseGuards(ApiKeyGuard)
export class TasksController {
  constructor(private readonly forward: ActivitiesForwarding) {}

  @Post()
  create(@Incoming() call: IncomingCall, @Body() body: CreateTaskDto): Promise<WriteResult> {
    return this.forward.create(call, '/tasks', body);
  }

  @Patch(':id')
  change(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: ChangeTaskDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'PATCH', pathOf('tasks', id), body);
  }

  @Post(':id/complete')
  @HttpCode(200)
  complete(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: CompleteTaskDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('tasks', id, 'complete'), body);
  }

  @Post(':id/reopen')
  @HttpCode(200)
  reopen(@Incoming() call: IncomingCall, @Param('id') id: string): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('tasks', id, 'reopen'));
  }

  @Post(':id/reschedule')
  @HttpCode(200)
  reschedule(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: RescheduleTaskDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('tasks', id, 'reschedule'), body);
  }

  @Post(':id/assign')
  @HttpCode(200)
  assign(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Body() body: AssignTaskDto,
  ): Promise<WriteResult> {
    return this.forward.command(call, 'POST', pathOf('tasks', id, 'assign'), body);
  }

  @Get()
  list(@Incoming() call: IncomingCall, @Query() query: TaskListQueryDto): Promise<Page<TaskView>> {
    return this.forward.list(call, '/tasks', query);
  }

  /** Its source says who asked for it: a user, or a rule firing (ruleId, firingId). */
  @Get(':id')
  get(
    @Incoming() call: IncomingCall,
    @Param('id') id: string,
    @Query() query: ReadQueryDto,
  ): Promise<TaskView> {
    return this.forward.one(call, pathOf('tasks', id), query);
  }
}
