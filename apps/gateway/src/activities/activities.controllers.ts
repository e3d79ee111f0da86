import { Type } from '@nestjs/common';

/** The public routes served by the activities service. */
export const ACTIVITIES_CONTROLLERS: Type[] = [];
