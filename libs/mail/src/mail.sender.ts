import { Logger, LoggerService } from '@nestjs/common';
import { createTransport } from 'nodemailer';

import { MailSettings } from '@relate/config';
import { isRelateError } from '@relate/errors';

import { invalidMessage, mailSendError, SmtpFailure } from './mail.errors';

/** One mail to one recipient. `to`, `subject`, `text` and `html` are personal data. */
export interface OutgoingMail {
  /** One address: `name@host` or `Name <name@host>`. */
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * Becomes the Message-ID header: `id@domain`, `<id@domain>`, or `id` (the domain of the
   * sender is added). Deterministic ids (say `reminder-<id>`) let recipients drop duplicates.
   */
  messageId: string;
  /** Extra headers (`X-Relate-Reminder`, `List-Unsubscribe`, ...); no structural ones. */
  headers?: Record<string, string>;
}

export interface MailResult {
  /** True when the server took the message for its recipient. */
  accepted: boolean;
  /** The server's last answer, e.g. `250 OK: message queued`. */
  response: string;
  /** The Message-ID header the mail went out with, `<id@domain>`. */
  messageId: string;
}

export interface MailSenderOptions {
  /** Time to open the TCP/TLS connection; default 10 s. */
  connectionTimeoutMs?: number;
  /** Time to wait for the server's greeting; default 10 s. */
  greetingTimeoutMs?: number;
  /** Inactivity allowed during a conversation; default 30 s. */
  socketTimeoutMs?: number;
  logger?: LoggerService;
}

const ADDRESS = /^[^\s@<>",;]+@[^\s@<>",;]+$/;
const NAMED_ADDRESS = /^[^<>\r\n"]*<([^\s@<>",;]+@[^\s@<>",;]+)>$/;
const HEADER_NAME = /^[A-Za-z0-9-]{1,76}$/;
// Headers the sender composes itself: a caller must not replace or duplicate them.
const RESERVED_HEADERS = new Set([
  'from',
  'to',
  'cc',
  'bcc',
  'subject',
  'message-id',
  'date',
  'mime-version',
  'content-type',
  'content-transfer-encoding',
  'sender',
  'reply-to',
  'return-path',
]);

function addressOf(text: string): string | undefined {
  const trimmed = text.trim();
  if (ADDRESS.test(trimmed)) return trimmed;

  return NAMED_ADDRESS.exec(trimmed)?.[1];
}

function hasLineBreak(text: string): boolean {
  return /[\r\n\0]/.test(text);
}

/** `<id@domain>`; an id without a domain takes the sender's. */
export function normaliseMessageId(messageId: string, from: string): string {
  const bare = messageId.trim().replace(/^<(.*)>$/, '$1');
  if (!/^[^\s<>@()",;\\[\]]+(@[^\s<>@()",;\\[\]]+)?$/.test(bare) || bare.length > 200) {
    throw invalidMessage('messageId', 'must be id or id@domain, without blanks or brackets');
  }
  const domain = addressOf(from)?.split('@')[1] ?? 'relate.localhost';

  return `<${bare.includes('@') ? bare : `${bare}@${domain}`}>`;
}

function checkMail(mail: OutgoingMail): void {
  if (addressOf(mail.to) === undefined || hasLineBreak(mail.to)) {
    throw invalidMessage('to', 'must be one address: name@host or "Name <name@host>"');
  }
  if (hasLineBreak(mail.subject)) throw invalidMessage('subject', 'must be one line');
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    if (!HEADER_NAME.test(name) || RESERVED_HEADERS.has(name.toLowerCase())) {
      throw invalidMessage('headers', `${name.slice(0, 80)} is not a header the caller may set`);
    }
    if (hasLineBreak(value)) throw invalidMessage('headers', `${name} must be one line`);
  }
}

function failureOf(error: unknown): SmtpFailure {
  const { code, responseCode } = (error ?? {}) as { code?: unknown; responseCode?: unknown };

  return {
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof responseCode === 'number' ? { responseCode } : {}),
  };
}

/**
 * Sends mail through the SMTP server of `SMTP_URL` (nodemailer; a connection per message).
 * Failures become a RelateError: `retriable` for no connection, timeouts and 4xx answers,
 * not for 5xx answers and unusable messages. Logs message ids and outcomes, never addresses,
 * subjects or bodies.
 * TODO(#3): a connection per message; a pooled transport would suit bursts of reminders.
 */
export class MailSender {
  private readonly transport;
  private readonly logger: LoggerService;

  constructor(
    private readonly settings: MailSettings,
    options: MailSenderOptions = {},
  ) {
    this.logger = options.logger ?? new Logger(MailSender.name);
    this.transport = createTransport({
      url: settings.smtpUrl,
      connectionTimeout: options.connectionTimeoutMs ?? 10_000,
      greetingTimeout: options.greetingTimeoutMs ?? 10_000,
      socketTimeout: options.socketTimeoutMs ?? 30_000,
      // nodemailer's own logger would print envelopes: keep it off.
      logger: false,
      debug: false,
    });
  }

  async send(mail: OutgoingMail): Promise<MailResult> {
    checkMail(mail);
    const messageId = normaliseMessageId(mail.messageId, this.settings.from);
    try {
      const info = await this.transport.sendMail({
        from: this.settings.from,
        to: mail.to.trim(),
        subject: mail.subject,
        text: mail.text,
        ...(mail.html === undefined ? {} : { html: mail.html }),
        messageId,
        headers: mail.headers ?? {},
        // Only what the caller gives: no file or URL attachments read on a template's say.
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      const accepted = info.accepted.length > 0 && info.rejected.length === 0;
      const smtpCode = info.response.slice(0, 3);
      this.logger.log('mail sent', { messageId, accepted, smtpCode });

      return { accepted, response: info.response, messageId };
    } catch (error) {
      if (isRelateError(error)) throw error;
      const failure = failureOf(error);
      const relateError = mailSendError(messageId, failure);
      this.logger.warn('mail not sent', {
        messageId,
        ...failure,
        retriable: relateError.retriable,
      });
      throw relateError;
    }
  }

  /** Closes the transport's connections; pending sends still finish or fail. */
  async close(): Promise<void> {
    this.transport.close();
  }
}
