import { FieldViolation, notFound, RelateError, validationError } from '@relate/errors';

/** Error codes of the automation service; the gateway maps them by category. */
export const AutomationErrorCodes = {
  validationFailed: 'AUTOMATION.VALIDATION_FAILED',
  ruleNotFound: 'AUTOMATION.RULE_NOT_FOUND',
  templateNotFound: 'AUTOMATION.EMAIL_TEMPLATE_NOT_FOUND',
  notificationNotFound: 'AUTOMATION.NOTIFICATION_NOT_FOUND',
  webhookNotFound: 'AUTOMATION.WEBHOOK_NOT_FOUND',
} as const;

/** Throws one validation error listing every violation, if there is any. */
export function assertNoViolations(violations: FieldViolation[]): void {
  if (violations.length > 0) {
    throw validationError(AutomationErrorCodes.validationFailed, violations);
  }
}

export function ruleNotFound(ruleId: string): RelateError {
  return notFound(AutomationErrorCodes.ruleNotFound, 'Rule', ruleId);
}

export function templateNotFound(templateId: string): RelateError {
  return notFound(AutomationErrorCodes.templateNotFound, 'Email template', templateId);
}

export function notificationNotFound(notificationId: string): RelateError {
  return notFound(AutomationErrorCodes.notificationNotFound, 'Notification', notificationId);
}

export function webhookNotFound(subscriptionId: string): RelateError {
  return notFound(AutomationErrorCodes.webhookNotFound, 'Webhook', subscriptionId);
}
