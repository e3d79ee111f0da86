import { ValidateBy } from 'class-validator';

import { ConfigError } from './env.config';

/** Where and as whom Relate sends mail: `SMTP_URL` and `MAIL_FROM`. */
export interface MailSettings {
  /** `smtp://` or `smtps://` URL; may hold credentials, so it is a secret. */
  smtpUrl: string;
  /** The sender address: `relate@example.com` or `Relate <relate@example.com>`. */
  from: string;
}

export const DEFAULT_MAIL_FROM = 'relate@localhost';

// A bare address, or a display name and the address in angle brackets. No CR/LF: the value
// ends up in a header.
const ADDRESS = '[^\\s@<>",;]+@[^\\s@<>",;]+';
const MAIL_FROM = new RegExp(`^(?:${ADDRESS}|[^<>\\r\\n"]*<${ADDRESS}>)$`);

/**
 * Why an `SMTP_URL` is unusable, or undefined when it is fine. Reasons never repeat the URL:
 * its user name and password must not reach a log.
 */
export function smtpUrlProblem(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'does not parse as a URL (expected smtp[s]://[user:pass@]host[:port])';
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') {
    return 'must be an smtp:// or smtps:// URL (other scheme given)';
  }
  if (url.hostname === '') return 'must name a host (smtp://host:port)';
  if (url.pathname !== '' && url.pathname !== '/') return 'must have no path';
  if (url.username === '' && url.password !== '') return 'has a password but no user name';

  return undefined;
}

/** Why a `MAIL_FROM` is unusable, or undefined when it is fine. */
export function mailFromProblem(text: string): string | undefined {
  return MAIL_FROM.test(text.trim())
    ? undefined
    : 'must be an address (name@host) or "Name <name@host>"';
}

/** Validates a settings property as `SMTP_URL`. */
export const IsSmtpUrl = () =>
  ValidateBy({
    name: 'isSmtpUrl',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && smtpUrlProblem(value) === undefined,
      defaultMessage: (args) =>
        typeof args?.value === 'string' ? (smtpUrlProblem(args.value) ?? '') : 'must be text',
    },
  });

/** Validates a settings property as `MAIL_FROM`. */
export const IsMailFrom = () =>
  ValidateBy({
    name: 'isMailFrom',
    validator: {
      validate: (value: unknown) =>
        typeof value === 'string' && mailFromProblem(value) === undefined,
      defaultMessage: (args) =>
        typeof args?.value === 'string' ? (mailFromProblem(args.value) ?? '') : 'must be text',
    },
  });

/**
 * Mail settings from raw values (`SMTP_URL`, `MAIL_FROM`); throws a ConfigError naming the
 * variable and the reason, without the URL. Undefined when no `SMTP_URL` is given.
 */
export function parseMailSettings(
  smtpUrl: string | undefined,
  from: string | undefined,
): MailSettings | undefined {
  const violations: Array<{ variable: string; reason: string }> = [];
  const urlProblem = smtpUrl ? smtpUrlProblem(smtpUrl) : undefined;
  if (urlProblem) violations.push({ variable: 'SMTP_URL', reason: urlProblem });
  const fromProblem = from ? mailFromProblem(from) : undefined;
  if (fromProblem) violations.push({ variable: 'MAIL_FROM', reason: fromProblem });
  if (violations.length > 0) throw new ConfigError(violations);

  return smtpUrl ? { smtpUrl, from: from?.trim() || DEFAULT_MAIL_FROM } : undefined;
}
