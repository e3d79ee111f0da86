import { RelateError } from '@relate/errors';

/** Codes of the errors MailSender throws. Callers branch on `retriable`, not on the code. */
export const MailErrorCodes = {
  /** The message itself is unusable (address, header, message id): retrying cannot help. */
  invalidMessage: 'MAIL.INVALID_MESSAGE',
  /** No connection, a timeout, or a 4xx answer: try again later. */
  unavailable: 'MAIL.UNAVAILABLE',
  /** The server refused for good (5xx, bad recipient, authentication refused). */
  rejected: 'MAIL.REJECTED',
} as const;

export type MailErrorCode = (typeof MailErrorCodes)[keyof typeof MailErrorCodes];

/** What the SMTP client told us, without addresses or text of the server's answer. */
export interface SmtpFailure {
  /** nodemailer's code: ECONNECTION, ETIMEDOUT, EENVELOPE, EAUTH, ... */
  code?: string;
  /** The SMTP reply code, when the server answered. */
  responseCode?: number;
}

// Connection-level problems go away by themselves (server restarts, network blips).
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'EPROXY',
  'EABORT',
  'ECONNREFUSED',
  'ECONNRESET',
]);

/** Retriable unless the server said 5xx or the envelope/message was refused before sending. */
export function isTransientSmtpFailure(failure: SmtpFailure): boolean {
  if (failure.responseCode !== undefined) {
    return failure.responseCode >= 400 && failure.responseCode < 500;
  }

  return failure.code === undefined || TRANSIENT_CODES.has(failure.code);
}

/**
 * The error a failed send becomes. The message names the message id and the SMTP codes only:
 * server answers often repeat the recipient's address, which is personal data.
 */
export function mailSendError(messageId: string, failure: SmtpFailure): RelateError {
  const retriable = isTransientSmtpFailure(failure);
  const codes = [failure.code, failure.responseCode].filter((c) => c !== undefined).join(' ');
  const what = retriable ? 'could not be sent now' : 'was refused';

  return new RelateError(
    retriable ? MailErrorCodes.unavailable : MailErrorCodes.rejected,
    'internal',
    `Mail ${messageId} ${what}${codes ? ` (${codes})` : ''}`,
    { retriable, details: { messageId, ...failure } },
  );
}

export function invalidMessage(field: string, reason: string): RelateError {
  return new RelateError(MailErrorCodes.invalidMessage, 'validation', `Mail ${field} ${reason}`, {
    retriable: false,
    violations: [{ field, reason }],
  });
}
