import { Type } from '@nestjs/common';

/** The public routes served by the automation service. */
export const AUTOMATION_CONTROLLERS: Type[] = [];
