/**
 * The one error type that domain and library code throws. Transports (HTTP, Kafka consumers)
 * map it by category, never by message text.
 */
export type ErrorCategory = 'validation' | 'not_found' | 'conflict' | 'illegal_state' | 'internal';

export interface FieldViolation {
  field: string;
  reason: string;
}

export interface RelateErrorOptions {
  retriable?: boolean;
  cause?: unknown;
  violations?: FieldViolation[];
  details?: Record<string, unknown>;
}

export class RelateError extends Error {
  readonly retriable: boolean;
  readonly violations: FieldViolation[];
  readonly details: Record<string, unknown>;

  constructor(
    readonly code: string,
    readonly category: ErrorCategory,
    message: string,
    options: RelateErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'RelateError';
    this.retriable = options.retriable ?? false;
    this.violations = options.violations ?? [];
    this.details = options.details ?? {};
  }
}

export function isRelateError(error: unknown): error is RelateError {
  return error instanceof RelateError;
}

export function validationError(code: string, violations: FieldViolation[]): RelateError {
  const summary = violations.map((v) => `${v.field}: ${v.reason}`).join('; ');

  return new RelateError(code, 'validation', `Invalid input: ${summary}`, { violations });
}

export function notFound(code: string, what: string, id: string): RelateError {
  return new RelateError(code, 'not_found', `${what} ${id} was not found`, { details: { id } });
}

export function conflict(code: string, message: string, details?: Record<string, unknown>) {
  return new RelateError(code, 'conflict', message, { details });
}

export function illegalState(code: string, message: string, details?: Record<string, unknown>) {
  return new RelateError(code, 'illegal_state', message, { details });
}

export function assertUnreachable(value: never): never {
  throw new RelateError('RELATE.UNREACHABLE', 'internal', `Unexpected value ${String(value)}`);
}
