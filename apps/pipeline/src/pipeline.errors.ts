import { illegalState, RelateError, serviceErrors, ServiceErrors } from '@relate/errors';

const errors = serviceErrors('PIPELINE');

/** Error codes of the pipeline service; the gateway maps them by category. */
export const PipelineErrorCodes = {
  ...errors.codes,
  wrongExpectedVersion: 'PIPELINE.WRONG_EXPECTED_VERSION',
  pipelineNotFound: 'PIPELINE.PIPELINE_NOT_FOUND',
  productNotFound: 'PIPELINE.PRODUCT_NOT_FOUND',
  dealNotFound: 'PIPELINE.DEAL_NOT_FOUND',
  dealClosed: 'PIPELINE.DEAL_CLOSED',
} as const;

export const invalidPipelineInput = errors.invalidInput;
export const assertNoViolations = errors.assertNoViolations;
export const pipelineAlreadyExists = errors.alreadyExists;
// Typed explicitly: only then does TypeScript treat a call as the end of the code path.
export const rejectField: ServiceErrors<'PIPELINE'>['rejectField'] = errors.rejectField;

export const pipelineNotFound = errors.notFoundOf(PipelineErrorCodes.pipelineNotFound, 'Pipeline');
export const productNotFound = errors.notFoundOf(PipelineErrorCodes.productNotFound, 'Product');
export const dealNotFound = errors.notFoundOf(PipelineErrorCodes.dealNotFound, 'Deal');

export function dealClosed(dealId: string, status: string): RelateError {
  return illegalState(PipelineErrorCodes.dealClosed, `The deal is already ${status}`, {
    dealId,
    status,
  });
}
