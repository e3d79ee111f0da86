import { DynamicModule, Module } from '@nestjs/common';
import { Pool } from 'pg';

import { PlatformModule, ReadModels, ServiceSettings } from '@relate/service-kit';

import { ActivitiesController } from './activities/activities.controller';
import { ActivitiesRepository } from './activities/activities.repository';
import { ActivitiesService } from './activities/activities.service';
import { WorkProjection } from './activities/work.projection';
import { FollowUpTaskRequestsReactor } from './follow-up-requests/follow-up-task-requests.reactor';
import { FollowUpsController } from './follow-ups/follow-ups.controller';
import { FollowUpsService } from './follow-ups/follow-ups.service';
import { RecordsController } from './records/records.controller';
import { RecordsProjection } from './records/records.projection';
import { RecordsRepository } from './records/records.repository';
import { TasksController } from './tasks/tasks.controller';
import { TasksRepository } from './tasks/tasks.repository';
import { TasksService } from './tasks/tasks.service';

const onPool = <T>(type: new (pool: Pool) => T) => ({
  provide: type,
  inject: [Pool],
  useFactory: (pool: Pool) => new type(pool),
});

/** The activities service: calls, emails, meetings, notes and tasks, and the timelines. */
@Module({})
export class ActivitiesModule {
  static register(settings: ServiceSettings): DynamicModule {
    // Built here, so that the platform runs it and the tasks service can handle its requests.
    let reactor: FollowUpTaskRequestsReactor | undefined;

    return {
      module: ActivitiesModule,
      imports: [
        PlatformModule.register({
          service: 'activities',
          owns: 'activities',
          errorNamespace: 'ACTIVITIES',
          settings,
          // Two consumer groups: the service's own topic, and the records of the others.
          projections: (topics) => [
            new WorkProjection([topics.activities]),
            new RecordsProjection([topics.contacts, topics.pipeline]),
          ],
          reactors: (topics) => {
            reactor = new FollowUpTaskRequestsReactor([topics.automation]);

            return [reactor];
          },
        }),
      ],
      controllers: [ActivitiesController, TasksController, RecordsController, FollowUpsController],
      providers: [
        ActivitiesService,
        TasksService,
        FollowUpsService,
        onPool(ActivitiesRepository),
        onPool(TasksRepository),
        onPool(RecordsRepository),
        {
          provide: FollowUpTaskRequestsReactor,
          inject: [TasksService, ReadModels],
          useFactory: (tasks: TasksService) => {
            reactor?.handleWith((request) => tasks.createRequested(request));

            return reactor;
          },
        },
      ],
    };
  }
}
