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

// Half of a UTF-16 surrogate pair (JSON's "\ud83d" alone): jsonb refuses it, so the event
// store's append failed with a 500.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Deeper than any DTO nests; a body of 5,000 nested arrays overflowed the stack (a 500). */
export const MAX_NESTING = 32;

function stringViolation(value: string): string | undefined {
  if (value.includes('\u0000')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(value)) return 'must not contain half of a surrogate pair';

  return undefined;
}

/**
 * What the DTO validation would miss in a body, query or path: strings with a NUL character or
 * a lone surrogate (PostgreSQL refuses them, so they would fail deep in a service with a 500),
 * prototype keys such as `__proto__`, and nesting deeper than {@link MAX_NESTING}.
 */
export function unsafeViolationsOf(value: unknown, field = '', depth = 0): FieldViolation[] {
  if (typeof value === 'string') {
    const reason = stringViolation(value);

    return reason ? [{ field: field === '' ? 'value' : field, reason }] : [];
  }
  if (value === null || typeof value !== 'object') {
    return [];
  }
  if (depth >= MAX_NESTING) {
    return [{ field: field === '' ? 'value' : field, reason: 'is nested too deeply' }];
  }

  return Object.keys(value).flatMap((key) => {
    const path = field === '' ? key : `${field}.${key}`;

    return PROTOTYPE_KEYS.has(key)
      ? [{ field: path, reason: `property ${key} should not exist` }]
      : unsafeViolationsOf((value as Record<string, unknown>)[key], path, depth + 1);
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
