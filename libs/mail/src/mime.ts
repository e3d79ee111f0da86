/**
 * Just enough MIME to read back what MailSender writes (tests and the catcher's file names):
 * headers with RFC 2047 words, single-part and multipart bodies, quoted-printable and base64.
 * Not a general mail parser.
 */
export interface ParsedMail {
  /** Header names in lower case; a repeated header keeps its first value. */
  headers: Record<string, string>;
  text?: string;
  html?: string;
}

function splitHead(raw: string): { head: string; body: string } {
  const match = /\r?\n\r?\n/.exec(raw);
  if (!match) return { head: raw, body: '' };

  return { head: raw.slice(0, match.index), body: raw.slice(match.index + match[0].length) };
}

function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[QqBb]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([QqBb])\?([^?]*)\?=/g, (_all, charset: string, kind: string, text) => {
      const bytes =
        kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64') : qpBytes(text.replace(/_/g, ' '));

      return decodeCharset(bytes, charset);
    });
}

function decodeCharset(bytes: Buffer, charset: string | undefined): string {
  const name = (charset ?? 'utf-8').toLowerCase();

  return name === 'utf-8' || name === 'utf8' || name === 'us-ascii'
    ? bytes.toString('utf8')
    : bytes.toString('latin1');
}

function qpBytes(text: string): Buffer {
  const soft = text.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    const hex = soft.slice(i + 1, i + 3);
    if (soft[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(soft[i], 'utf8'));
    }
  }

  return Buffer.from(bytes);
}

export function parseHeaders(head: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] ??= decodeWords(line.slice(colon + 1).trim());
  }

  return headers;
}

function parameter(value: string, name: string): string | undefined {
  const match = new RegExp(`;\\s*${name}="?([^";]+)"?`, 'i').exec(value);

  return match?.[1];
}

// Mail travels with CRLF line ends; readers compare with the LF text they sent.
function decodeBody(body: string, headers: Record<string, string>): string {
  return decodeTransfer(body, headers).replace(/\r\n/g, '\n');
}

function decodeTransfer(body: string, headers: Record<string, string>): string {
  const encoding = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const charset = parameter(headers['content-type'] ?? '', 'charset');
  if (encoding === 'base64') {
    return decodeCharset(Buffer.from(body.replace(/\s+/g, ''), 'base64'), charset);
  }
  if (encoding === 'quoted-printable') return decodeCharset(qpBytes(body), charset);

  return body;
}

function readPart(raw: string, into: ParsedMail): void {
  const { head, body } = splitHead(raw);
  const headers = parseHeaders(head);
  const type = (headers['content-type'] ?? 'text/plain').toLowerCase();
  const boundary = parameter(headers['content-type'] ?? '', 'boundary');
  if (type.startsWith('multipart/') && boundary) {
    const parts = body.split(`--${boundary}`).slice(1);
    for (const part of parts) {
      if (part.startsWith('--')) break;
      readPart(part.replace(/^\r?\n/, '').replace(/\r?\n$/, ''), into);
    }
  } else if (type.startsWith('text/html')) {
    into.html ??= decodeBody(body, headers);
  } else if (type.startsWith('text/')) {
    into.text ??= decodeBody(body, headers);
  }
}

/** Headers and the text and HTML bodies of one RFC 5322 message. */
export function parseMail(raw: string): ParsedMail {
  const parsed: ParsedMail = { headers: parseHeaders(splitHead(raw).head) };
  readPart(raw, parsed);

  return parsed;
}
