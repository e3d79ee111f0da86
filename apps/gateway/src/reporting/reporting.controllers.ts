import { Type } from '@nestjs/common';

import { ReportsController } from './reports.controller';

/** The public routes served by the reporting service. */
export const REPORTING_CONTROLLERS: Type[] = [ReportsController];
