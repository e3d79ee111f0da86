import { Logger, LoggerService } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SMTPServer, SMTPServerDataStream } from 'smtp-server';

import { parseHeaders, parseMail } from './mime';

/** The catcher listens on loopback only: it is a development and test tool. */
export const MAIL_CATCHER_HOST = '127.0.0.1';

export interface MailCatcherOptions {
  /** Folder the `.eml` files go to; created when missing. */
  dir: string;
  /** Port on 127.0.0.1; 0 (the default) takes a free one. */
  port?: number;
  /** Larger messages are refused with 552; default 10 MB. */
  maxMessageBytes?: number;
  logger?: LoggerService;
}

/** One caught message, read back from its file. Addresses and bodies are personal data. */
export interface CaughtMail {
  /** Absolute path of the `.eml` file. */
  file: string;
  messageId?: string;
  from?: string;
  to?: string;
  subject?: string;
  /** Every header, names in lower case. */
  headers: Record<string, string>;
  /** The text/plain body (decoded). */
  text?: string;
  /** The text/html body (decoded), when there is one. */
  html?: string;
  /** The message exactly as the client sent it. */
  raw: string;
  size: number;
}

const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;

/** A file name part from a Message-ID: letters, digits and `._@+-` only, at most 100. */
export function safeMessageId(messageId: string | undefined): string {
  const bare = (messageId ?? '').trim().replace(/^<(.*)>$/, '$1');
  const safe = bare.replace(/[^A-Za-z0-9._@+-]/g, '_').slice(0, 100);

  return safe === '' ? `no-id-${randomUUID()}` : safe;
}

function smtpError(message: string, responseCode: number): Error {
  return Object.assign(new Error(message), { responseCode });
}

/**
 * A local SMTP server that only stores: every message it accepts becomes
 * `<timestamp>-<message id>.eml` in its folder, written to a hidden temporary file first and
 * renamed, so a reader never sees half a message. No authentication, no TLS, any sender and
 * recipient; it never relays anything anywhere.
 * TODO(#3): no retention: caught mail piles up in the folder until someone deletes it.
 */
export class MailCatcher {
  private readonly logger: LoggerService;
  private readonly reserved = new Set<string>();

  private constructor(
    private readonly server: SMTPServer,
    readonly dir: string,
    readonly port: number,
    logger: LoggerService,
  ) {
    this.logger = logger;
  }

  /** `smtp://127.0.0.1:<port>`: the `SMTP_URL` that sends to this catcher. */
  get url(): string {
    return `smtp://${MAIL_CATCHER_HOST}:${this.port}`;
  }

  static async start(options: MailCatcherOptions): Promise<MailCatcher> {
    const logger = options.logger ?? new Logger(MailCatcher.name);
    const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_BYTES;
    await mkdir(options.dir, { recursive: true });
    let catcher: MailCatcher | undefined;
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      size: maxBytes,
      maxClients: 50,
      socketTimeout: 30_000,
      closeTimeout: 2_000,
      banner: 'Relate mail catcher: stores mail, never relays',
      logger: false,
      onData: (stream, _session, callback) => {
        if (!catcher) return callback(smtpError('not ready', 421));
        catcher.receive(stream, maxBytes).then(
          (message) => callback(null, message),
          (error: Error) => callback(error),
        );
      },
    });
    const port = await new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, MAIL_CATCHER_HOST, () => {
        server.off('error', reject);
        resolve((server.server.address() as AddressInfo).port);
      });
    });
    // Errors of single connections (a client gone mid-message) must not crash the process.
    server.on('error', (error) =>
      logger.warn('mail catcher connection error', { error: error.message }),
    );
    catcher = new MailCatcher(server, options.dir, port, logger);
    logger.log('mail catcher listening', { url: catcher.url, maxMessageBytes: maxBytes });

    return catcher;
  }

  /** Every caught message, oldest first. Hidden temporary files are never read. */
  async messages(): Promise<CaughtMail[]> {
    const names = (await readdir(this.dir)).filter((n) => n.endsWith('.eml') && !n.startsWith('.'));

    return Promise.all(names.sort().map((name) => readCaughtMail(join(this.dir, name))));
  }

  /** Stops listening; open conversations get two seconds to end. */
  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async receive(stream: SMTPServerDataStream, maxBytes: number): Promise<string> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      size += chunk.length;
      // Keep reading to the end of the DATA, but never hold more than the limit.
      if (size <= maxBytes) chunks.push(chunk);
    }
    if (stream.sizeExceeded || size > maxBytes) {
      this.logger.warn('mail refused: too large', { size, maxBytes });
      throw smtpError(`Message exceeds the limit of ${maxBytes} bytes`, 552);
    }
    const raw = Buffer.concat(chunks);
    const head = raw.toString('utf8', 0, Math.min(raw.length, 64 * 1024)).split(/\r?\n\r?\n/)[0];
    const messageId = parseHeaders(head)['message-id'];
    const name = this.fileName(messageId);
    const temporary = join(this.dir, `.${name}.${randomUUID()}.tmp`);
    try {
      await writeFile(temporary, raw, { flag: 'wx' });
      await rename(temporary, join(this.dir, name));
    } catch (error) {
      await rm(temporary, { force: true });
      this.logger.error('mail not stored', {
        messageId,
        error: error instanceof Error ? error.message : String(error),
      });
      throw smtpError('Could not store the message, try again later', 451);
    } finally {
      this.reserved.delete(name);
    }
    this.logger.log('mail caught', { messageId, size, file: name });

    return `Message caught as ${name}`;
  }

  /** `<timestamp>-<id>.eml`, with `-2`, `-3`... when that name is taken. */
  private fileName(messageId: string | undefined): string {
    const stamp = new Date().toISOString().replace(/:/g, '-');
    const base = `${stamp}-${safeMessageId(messageId)}`;
    let name = `${base}.eml`;
    for (let n = 2; this.reserved.has(name) || existsSync(join(this.dir, name)); n++) {
      name = `${base}-${n}.eml`;
    }
    this.reserved.add(name);

    return name;
  }
}

/** Reads one `.eml` file the catcher wrote (or any simple message). */
export async function readCaughtMail(file: string): Promise<CaughtMail> {
  const bytes = await readFile(file);
  const raw = bytes.toString('utf8');
  const { headers, text, html } = parseMail(raw);

  return {
    file,
    messageId: headers['message-id'],
    from: headers.from,
    to: headers.to,
    subject: headers.subject,
    headers,
    text,
    html,
    raw,
    size: bytes.length,
  };
}
