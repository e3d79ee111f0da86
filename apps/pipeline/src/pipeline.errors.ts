import {
  conflict,
  FieldViolation,
  illegalState,
  notFound,
  RelateError,
  validationError,
} from '@relate/errors';

/** Error codes of the pipeline service; the gateway maps them by category. */
export const PipelineErrorCodes = {
  validationFailed: 'PIPELINE.VALIDATION_FAILED',
  alreadyExists: 'PIPELINE.ALREADY_EXISTS',
  wrongExpectedVersion: 'PIPELINE.WRONG_EXPECTED_VERSION',
  pipelineNotFound: 'PIPELINE.PIPELINE_NOT_FOUND',
  productNotFound: 'PIPELINE.PRODUCT_NOT_FOUND',
  dealNotFound: 'PIPELINE.DEAL_NOT_FOUND',
  dealClosed: 'PIPELINE.DEAL_CLOSED',
} as const;

export function invalidPipelineInput(violations: FieldViolation[]): RelateError {
  return validationError(PipelineErrorCodes.validationFailed, violations);
}

/** Throws one validation error listing every violation, if there is any. */
export function assertNoViolations(violations: FieldViolation[]): void {
  if (violations.length > 0) {
    throw invalidPipelineInput(violations);
  }
}

export function pipelineAlreadyExists(what: string, id: string): RelateError {
  return conflict(PipelineErrorCodes.alreadyExists, `${what} ${id} already exists`, { id });
}

export function pipelineNotFound(pipelineId: string): RelateError {
  return notFound(PipelineErrorCodes.pipelineNotFound, 'Pipeline', pipelineId);
}

export function productNotFound(productId: string): RelateError {
  return notFound(PipelineErrorCodes.productNotFound, 'Product', productId);
}

export function dealNotFound(dealId: string): RelateError {
  return notFound(PipelineErrorCodes.dealNotFound, 'Deal', dealId);
}

export function dealClosed(dealId: string, status: string): RelateError {
  return illegalState(PipelineErrorCodes.dealClosed, `The deal is already ${status}`, {
    dealId,
    status,
  });
}

/** Throws a validation error about one field. */
export function rejectField(field: string, reason: string): never {
  throw invalidPipelineInput([{ field, reason }]);
}
