import { FieldViolation, notFound, RelateError, validationError } from '@relate/errors';

/** Error codes of the reporting service; the gateway maps them by category. */
export const ReportingErrorCodes = {
  validationFailed: 'REPORTING.VALIDATION_FAILED',
  reportNotFound: 'REPORTING.REPORT_NOT_FOUND',
} as const;

export function invalidReportQuery(violations: FieldViolation[]): RelateError {
  return validationError(ReportingErrorCodes.validationFailed, violations);
}

export function reportNotFound(name: string): RelateError {
  return notFound(ReportingErrorCodes.reportNotFound, 'Report', name);
}
