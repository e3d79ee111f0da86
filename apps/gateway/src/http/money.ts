import { applyDecorators } from '@nestjs/common';
import { IsNumber, Max, Min } from 'class-validator';

import { MAX_MONEY_AMOUNT } from '@relate/contracts';

/** A money amount the read models can store: 0 to MAX_MONEY_AMOUNT, at most 2 decimal places. */
export const IsMoney = () =>
  applyDecorators(
    IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 }),
    Min(0),
    Max(MAX_MONEY_AMOUNT),
  );
