import { Type } from '@nestjs/common';

/** The public routes served by the reporting service. */
export const REPORTING_CONTROLLERS: Type[] = [];
