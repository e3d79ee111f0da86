import { ErrorBody } from '@relate/contracts';
import { assertUnreachable, isRelateError, RelateError } from '@relate/errors';

export interface HttpError {
  status: number;
  body: ErrorBody;
}

/**
 * HTTP status of each error category. `illegal_state` (moving a won deal, changing an archived
 * company) answers 409 like a version conflict: the request conflicts with the resource's
 * current state. The body's `error` tells the two apart.
 */
export function httpStatusOf(error: RelateError): number {
  switch (error.category) {
    case 'validation':
      return 400;
    case 'not_found':
      return 404;
    case 'conflict':
      return 409;
    case 'illegal_state':
      return 409;
    case 'internal':
      return error.retriable ? 503 : 500;
    default:
      return assertUnreachable(error.category);
  }
}

/** The short, stable name of an error: the last segment of its code, e.g. `DEAL_CLOSED`. */
export function shortErrorName(error: RelateError): string {
  return error.category === 'validation' ? 'VALIDATION_FAILED' : error.code.split('.').pop()!;
}

const STATUS_NAMES: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** A protocol error raised by the framework (bad JSON, unknown route, missing API key). */
export function protocolHttpError(status: number, message: string): HttpError {
  const name = STATUS_NAMES[status] ?? (status >= 500 ? 'INTERNAL' : `HTTP_${status}`);

  return {
    status,
    body: {
      error: name,
      code: `HTTP.${name}`,
      message: status >= 500 ? 'Internal error' : message,
    },
  };
}

const BODY_ERRORS: Record<string, { status: number; message: string }> = {
  'entity.too.large': { status: 413, message: 'The request body is too large' },
  'entity.parse.failed': { status: 400, message: 'The request body is not valid JSON' },
  'entity.verify.failed': { status: 400, message: 'The request body was refused' },
  'request.aborted': { status: 400, message: 'The request was aborted' },
  'request.size.invalid': { status: 400, message: 'The request body has the wrong length' },
  'stream.encoding.set': { status: 500, message: 'Internal error' },
  'encoding.unsupported': { status: 415, message: 'The content encoding is not supported' },
  'charset.unsupported': { status: 415, message: 'The charset is not supported' },
};

/**
 * An error of the body parser (too large, malformed JSON, unknown charset) as the protocol error
 * it is; undefined for any other error. Its own message is not used: a JSON parse error quotes
 * the body.
 */
export function bodyParserHttpError(error: unknown): HttpError | undefined {
  const type = (error as { type?: unknown } | null)?.type;
  const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;

  return known && protocolHttpError(known.status, known.message);
}

/** Maps any thrown value to a status and an {@link ErrorBody}; internals are not disclosed. */
export function toHttpError(error: unknown): HttpError {
  const relateError = isRelateError(error)
    ? error
    : new RelateError('RELATE.INTERNAL', 'internal', 'Internal error', { cause: error });
  const internal = relateError.category === 'internal';
  const body: ErrorBody = {
    error: shortErrorName(relateError),
    code: relateError.code,
    category: relateError.category,
    message: internal ? 'Internal error' : relateError.message,
  };
  if (relateError.violations.length > 0) {
    body.violations = relateError.violations;
  }
  if (!internal && Object.keys(relateError.details).length > 0) {
    body.details = relateError.details;
  }

  return { status: httpStatusOf(relateError), body };
}
