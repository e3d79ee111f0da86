import { serviceErrors } from '@relate/errors';

const errors = serviceErrors('REPORTING');

/** Error codes of the reporting service; the gateway maps them by category. */
export const ReportingErrorCodes = {
  validationFailed: errors.codes.validationFailed,
  reportNotFound: 'REPORTING.REPORT_NOT_FOUND',
} as const;

export const invalidReportQuery = errors.invalidInput;
export const reportNotFound = errors.notFoundOf(ReportingErrorCodes.reportNotFound, 'Report');
