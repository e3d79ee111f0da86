import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';

import { FieldViolation, validationError } from '@relate/errors';

/** Every failed constraint of a DTO, with its path (`stages.1.kind`) and its message. */
export function violationsOf(errors: ValidationError[], parent = ''): FieldViolation[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((reason) => ({ field, reason }));

    return [...own, ...violationsOf(error.children ?? [], field)];
  });
}

// Keys that class-transformer silently drops instead of refusing like any unknown field.
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * What the DTO validation would miss in a body, query or path: strings with a NUL character
 * (PostgreSQL refuses them in text, so they would fail deep in a service with a 500) and
 * prototype keys such as `__proto__`.
 */
export function unsafeViolationsOf(value: unknown, field = ''): FieldViolation[] {
  if (typeof value === 'string') {
    return value.includes('\u0000')
      ? [{ field: field === '' ? 'value' : field, reason: 'must not contain NUL characters' }]
      : [];
  }
  if (value === null || typeof value !== 'object') {
    return [];
  }

  return Object.keys(value).flatMap((key) => {
    const path = field === '' ? key : `${field}.${key}`;

    return PROTOTYPE_KEYS.has(key)
      ? [{ field: path, reason: `property ${key} should not exist` }]
      : unsafeViolationsOf((value as Record<string, unknown>)[key], path);
  });
}

/** Checks every incoming string and key before the DTO validation runs. */
class RelateValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const field = metadata.type === 'param' && metadata.data ? metadata.data : '';
    const violations = metadata.type === 'custom' ? [] : unsafeViolationsOf(value, field);
    if (violations.length > 0) {
      throw validationError('GATEWAY.VALIDATION_FAILED', violations);
    }

    return super.transform(value, metadata);
  }
}

/**
 * Bodies and queries are checked against their DTO: unknown fields are refused, not dropped,
 * so a typo never passes silently; the 400 lists every offending field.
 */
export function createValidationPipe(): ValidationPipe {
  return new RelateValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      validationError('GATEWAY.VALIDATION_FAILED', violationsOf(errors)),
  });
}
