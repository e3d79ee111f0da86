import { ValidationError, ValidationPipe } from '@nestjs/common';

import { FieldViolation, validationError } from '@relate/errors';

/** Every failed constraint of a DTO, with its path (`stages.1.kind`) and its message. */
export function violationsOf(errors: ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));

    return [...own, ...violationsOf(error.children ?? [], field)];
  });
}

/**
 * Bodies and queries are checked against their DTO: unknown fields are refused, not dropped,
 * so a typo never passes silently; the 400 lists every offending field.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      validationError('GATEWAY.VALIDATION_FAILED', violationsOf(errors)),
  });
}
