import { conflict, FieldViolation, notFound, RelateError, validationError } from './relate-error';

/** The codes every service shares, named under its own namespace (e.g. `CONTACTS`). */
export interface ServiceErrorCodes<N extends string> {
  validationFailed: `${N}.VALIDATION_FAILED`;
  alreadyExists: `${N}.ALREADY_EXISTS`;
}

export interface ServiceErrors<N extends string> {
  codes: ServiceErrorCodes<N>;
  /** A validation error listing every violation. */
  invalidInput(violations: FieldViolation[]): RelateError;
  /** Throws one validation error listing every violation, if there is any. */
  assertNoViolations(violations: FieldViolation[]): void;
  /** Throws a validation error about one field. */
  rejectField(field: string, reason: string): never;
  /** A conflict: a `what` with this id exists already (e.g. a create that is retried). */
  alreadyExists(what: string, id: string): RelateError;
  /** The not-found error of one resource, so each service names its own code and noun once. */
  notFoundOf(code: string, what: string): (id: string) => RelateError;
}

/**
 * The error helpers each service repeated word for word but for its code namespace. Services
 * keep their own errors file (and its exported names) for the domain-specific errors.
 */
export function serviceErrors<N extends string>(namespace: N): ServiceErrors<N> {
  const codes: ServiceErrorCodes<N> = {
    validationFailed: `${namespace}.VALIDATION_FAILED`,
    alreadyExists: `${namespace}.ALREADY_EXISTS`,
  };
  const invalidInput = (violations: FieldViolation[]): RelateError =>
    validationError(codes.validationFailed, violations);

  return {
    codes,
    invalidInput,
    assertNoViolations(violations) {
      if (violations.length > 0) {
        throw invalidInput(violations);
      }
    },
    rejectField(field, reason) {
      throw invalidInput([{ field, reason }]);
    },
    alreadyExists(what, id) {
      return conflict(codes.alreadyExists, `${what} ${id} already exists`, { id });
    },
    notFoundOf(code, what) {
      return (id) => notFound(code, what, id);
    },
  };
}
