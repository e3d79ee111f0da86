import { serviceErrors } from '@relate/errors';

const errors = serviceErrors('AUTOMATION');

/** Error codes of the automation service; the gateway maps them by category. */
export const AutomationErrorCodes = {
  validationFailed: errors.codes.validationFailed,
  ruleNotFound: 'AUTOMATION.RULE_NOT_FOUND',
  templateNotFound: 'AUTOMATION.EMAIL_TEMPLATE_NOT_FOUND',
  notificationNotFound: 'AUTOMATION.NOTIFICATION_NOT_FOUND',
  webhookNotFound: 'AUTOMATION.WEBHOOK_NOT_FOUND',
} as const;

export const assertNoViolations = errors.assertNoViolations;

export const ruleNotFound = errors.notFoundOf(AutomationErrorCodes.ruleNotFound, 'Rule');
export const templateNotFound = errors.notFoundOf(
  AutomationErrorCodes.templateNotFound,
  'Email template',
);
export const notificationNotFound = errors.notFoundOf(
  AutomationErrorCodes.notificationNotFound,
  'Notification',
);
export const webhookNotFound = errors.notFoundOf(AutomationErrorCodes.webhookNotFound, 'Webhook');
