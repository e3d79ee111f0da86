import { Type } from '@nestjs/common';

import { ActivitiesController } from './activities.controller';
import { RecordActivityController } from './record-activity.controller';
import { TasksController } from './tasks.controller';

/** The public routes served by the activities service. */
export const ACTIVITIES_CONTROLLERS: Type[] = [
  ActivitiesController,
  TasksController,
  RecordActivityController,
];
